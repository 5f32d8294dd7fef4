DROP TABLE distribution_shares;
DROP TABLE cooperative_distributions;
DROP TABLE cooperative_years;
DROP TABLE cooperative_members;
DROP TABLE cooperatives;
