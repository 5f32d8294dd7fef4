DROP TABLE needs;
