"""The cost ledger of a casus: dated entries, the nulmeting, realised costs, horizons."""
