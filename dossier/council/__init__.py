"""The council (Hội đồng Thi đua - Khen thưởng): meetings, secret ballots, tallies, minutes."""
