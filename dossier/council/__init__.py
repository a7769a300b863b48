"""The council (Hội đồng thi đua, khen thưởng): meetings, secret ballots, tallies, minutes."""
