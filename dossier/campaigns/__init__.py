"""Campaigns (đợt / phong trào thi đua) and the award forms they admit, as data."""
