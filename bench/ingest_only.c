/* csa's ingest alone: the police rows counted exactly as `csa rates` counts them
 * (csa_ingest_count: Month, LSOA code and Crime type parsed and checked, rows counted by
 * crime type and LSOA and by month), with no IMD, population, digest or outputs.
 *
 *     ingest_only FILE
 *
 * Prints the number of data rows read, so the run can be checked. Unlike `csa rates`,
 * nothing else keeps a CPU busy, so a big file is read in two halves on two threads.
 * Built by bench/run against build-bench's libraries.
 */
#include <stdio.h>

#include "csa/ingest.h"
#include "csa/table.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: ingest_only FILE\n");
        return 2;
    }
    static const char *const cols[] = {"Month", "LSOA code", "Crime type"};
    static const char *const by_type_area[] = {"Crime type", "LSOA code"};
    static const char *const by_month[] = {"Month"};
    const csa_count_set sets[] = {{by_type_area, 2}, {by_month, 1}};
    csa_ingest_options opt = {.spec = csa_spec_find("police-street"), .columns = cols,
                              .ncolumns = 3, .max_reject_share = 0.01};
    csa_source src;
    csa_error err;
    csa_ingest_stats stats;
    csa_table *counted[2];
    if (csa_source_open_file(&src, argv[1], &err) ||
        csa_ingest_count(&src, &opt, sets, 2, counted, &stats, &err)) {
        char msg[1024];
        csa_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "ingest_only: %s\n", msg);
        return 1;
    }
    csa_source_close(&src);
    csa_table_free(counted[0]);
    csa_table_free(counted[1]);
    printf("%llu\n", (unsigned long long)stats.rows_read);
    return 0;
}
