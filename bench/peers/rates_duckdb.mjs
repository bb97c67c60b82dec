// DuckDB (@duckdb/node-api) peer of `csa rates` (no --la): crimes per 1,000 residents by crime
// type and IMD decile.
//
//   node rates_duckdb.mjs CRIMES.csv IMD.csv POPULATION.csv OUT.csv THREADS
//
// Crimes are counted by crime type and LSOA for LSOAs that are in the IMD file and have a
// population row (blank LSOA, or an LSOA outside either file: left out). The population of a
// decile is the sum of Total over the IMD LSOAs in it that have a population row. Output: Crime
// type, IMD decile, Count, Population, Rate (per 1,000), one row per decile for "All crime" and
// for every crime type that occurs among the counted rows.
import { DuckDBInstance } from '@duckdb/node-api';

const [crimes, imd, pop, out, threads] = process.argv.slice(2);
const q = (s) => `'${s.replaceAll("'", "''")}'`;

const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`SET threads = ${Number(threads)}`);
await con.run(`
COPY (
  WITH area AS (                         -- IMD LSOAs that have a population row
    SELECT i."LSOA code (2011)" AS lsoa, i."Index of Multiple Deprivation (IMD) Decile" AS decile,
           p.Total AS population
    FROM read_csv(${q(imd)}) i JOIN read_csv(${q(pop)}) p ON p.lsoa = i."LSOA code (2011)"),
  decile_pop AS (SELECT decile, sum(population) AS population FROM area GROUP BY decile),
  counts AS (
    SELECT coalesce(c."Crime type", 'All crime') AS crime_type, a.decile, count(*) AS n
    FROM read_csv(${q(crimes)}) c JOIN area a ON a.lsoa = c."LSOA code"
    GROUP BY GROUPING SETS ((c."Crime type", a.decile), (a.decile))),
  grid AS (
    SELECT t.crime_type, d.decile
    FROM (SELECT DISTINCT crime_type FROM counts) t CROSS JOIN range(1, 11) d(decile))
  SELECT g.crime_type AS "Crime type", g.decile AS "IMD decile", coalesce(c.n, 0) AS "Count",
         coalesce(p.population, 0) AS "Population",
         coalesce(c.n, 0) * 1000 / p.population AS "Rate"
  FROM grid g
  LEFT JOIN counts c USING (crime_type, decile)
  LEFT JOIN decile_pop p USING (decile)
  ORDER BY g.crime_type <> 'All crime', g.crime_type, g.decile
) TO ${q(out)} (HEADER)`);
