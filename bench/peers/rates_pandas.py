#!/usr/bin/python3
"""pandas peer of `csa rates` (no --la): crimes per 1,000 residents by crime type and IMD decile.

    rates_pandas.py CRIMES.csv IMD.csv POPULATION.csv OUT.csv

Crimes are counted by crime type and LSOA for LSOAs that are in the IMD file and have a
population row (rows with a blank LSOA, or an LSOA outside either file, are left out). The
population of a decile is the sum of Total over the IMD LSOAs in it that have a population row.
Output: Crime type, IMD decile, Count, Population, Rate (per 1,000), one row per decile for
"All crime" and for every crime type that occurs among the counted rows.
"""
import sys

import pandas as pd

crimes_path, imd_path, pop_path, out_path = sys.argv[1:5]

imd = pd.read_csv(imd_path, encoding="utf-8-sig",
                  usecols=["LSOA code (2011)", "Index of Multiple Deprivation (IMD) Decile"])
imd.columns = ["lsoa", "decile"]
pop = pd.read_csv(pop_path, usecols=["lsoa", "Total"])
area = imd.merge(pop, on="lsoa")  # IMD LSOAs that have a population row
decile_pop = area.groupby("decile")["Total"].sum().reindex(range(1, 11), fill_value=0)

crimes = pd.read_csv(crimes_path, usecols=["LSOA code", "Crime type"])
counted = crimes.merge(area[["lsoa", "decile"]], left_on="LSOA code", right_on="lsoa")
by_type = counted.groupby(["Crime type", "decile"]).size()
types = sorted(by_type.index.get_level_values(0).unique())
by_type = by_type.reindex(pd.MultiIndex.from_product([types, range(1, 11)],
                                                     names=["Crime type", "decile"]), fill_value=0)
all_crime = counted.groupby("decile").size().reindex(range(1, 11), fill_value=0)
all_crime.index = pd.MultiIndex.from_product([["All crime"], range(1, 11)],
                                             names=["Crime type", "decile"])

out = pd.concat([all_crime, by_type]).rename("Count").reset_index()
out["Population"] = out["decile"].map(decile_pop)
out["Rate"] = out["Count"] * 1000 / out["Population"]
out = out.rename(columns={"decile": "IMD decile"})
out.to_csv(out_path, index=False)
