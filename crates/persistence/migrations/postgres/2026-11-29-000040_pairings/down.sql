DROP TABLE assistance;
DROP TABLE pairings;
