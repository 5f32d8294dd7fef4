DROP TABLE users;
DROP TABLE team_members;
DROP TABLE teams;
DROP TABLE rounds;
DROP TABLE villages;
DROP TABLE cadres;
DROP TABLE offices;
DROP TABLE departments;
