DROP TABLE village_surveys;
