"""Want lists: what shoppers are looking for, matched against every listing that arrives."""
