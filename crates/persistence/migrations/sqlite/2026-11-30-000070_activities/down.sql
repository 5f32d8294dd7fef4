DROP TABLE activity_households;
DROP TABLE activities;
