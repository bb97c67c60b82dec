# R data.table peer of `csa rates` (no --la): crimes per 1,000 residents by crime type and IMD decile.
#
#   Rscript rates_datatable.R CRIMES.csv IMD.csv POPULATION.csv OUT.csv THREADS
#
# Crimes are counted by crime type and LSOA for LSOAs that are in the IMD file and have a
# population row (blank LSOA, or an LSOA outside either file: left out). The population of a
# decile is the sum of Total over the IMD LSOAs in it that have a population row. Output: Crime
# type, IMD decile, Count, Population, Rate (per 1,000), one row per decile for "All crime" and
# for every crime type that occurs among the counted rows.
suppressPackageStartupMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
setDTthreads(as.integer(args[5]))

imd <- fread(args[2], select = c("LSOA code (2011)", "Index of Multiple Deprivation (IMD) Decile"))
setnames(imd, c("lsoa", "decile"))
pop <- fread(args[3], select = c("lsoa", "Total"))
area <- imd[pop, on = "lsoa", nomatch = NULL]          # IMD LSOAs with a population row
decile_pop <- area[, .(Population = sum(Total)), keyby = decile]

crimes <- fread(args[1], select = c("LSOA code", "Crime type"))
counted <- area[crimes, on = c(lsoa = "LSOA code"), nomatch = NULL]
by_type <- counted[, .N, keyby = .(type = `Crime type`, decile)]
by_type <- by_type[CJ(type = unique(type), decile = 1:10), on = c("type", "decile")]
by_type[is.na(N), N := 0L]
all_crime <- counted[, .N, keyby = decile][CJ(decile = 1:10), on = "decile"]
all_crime[is.na(N), N := 0L]
all_crime[, type := "All crime"]

out <- rbind(all_crime, by_type, use.names = TRUE)
out <- decile_pop[out, on = "decile"]
out[is.na(Population), Population := 0L]
out[, Rate := N * 1000 / Population]
out <- out[, .(`Crime type` = type, `IMD decile` = decile, Count = N, Population, Rate)]
fwrite(out, args[4])
