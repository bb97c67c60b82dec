/* csa/report.h: outputs. Report reads result tables and writes files; it
 * never recomputes a figure. Every output of a run is written into a private
 * folder beside the output folder and the whole folder is switched in at
 * once when all of the run's outputs are complete (see report/outdir.c), so
 * a failed or killed run leaves the previous outputs as they were. */
#ifndef CSA_REPORT_H
#define CSA_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <time.h>

#include "csa/error.h"
#include "csa/table.h"

/* ---- atomic output folder ---- */

typedef struct csa_outdir csa_outdir;

/* Opens the output folder dir (creating it and its parents if need be):
 * takes its lock (another run writing it is an error), removes what killed
 * runs into it left, checks that it is empty or csa's (a run replaces it
 * whole, so a file its manifest does not list is an error), and makes the
 * private folder the outputs are written to. dir is copied. Free with
 * csa_outdir_free. */
csa_status csa_outdir_open(const char *dir, csa_outdir **out, csa_error *err);
/* The path to write output `name` (a plain file name, new to this outdir)
 * to: a new empty file in the private folder. The path is owned by the
 * outdir and valid until it is freed. */
csa_status csa_outdir_add(csa_outdir *o, const char *name, const char **tmp_path,
                          csa_error *err);
/* After csa_outdir_manifest: checks every output is there, whole and on
 * disk, then makes the private folder the output folder in one step and
 * removes the previous outputs. On error the output folder is as it was. */
csa_status csa_outdir_commit(csa_outdir *o, csa_error *err);
/* Removes the private folder if it was not committed, releases the lock,
 * then frees. */
void csa_outdir_free(csa_outdir *o);
/* An error about a file in the private folder names the output instead
 * ("csa-out/summary.csv"): call on a writer's error before reporting it. */
void csa_outdir_name_error(const csa_outdir *o, csa_error *err);
/* What a failed write's errno says: "disk full" for ENOSPC, else
 * strerror's text (static storage). */
const char *csa_io_error(int errnum);
/* Writes len bytes of data to path (created or truncated); an error names
 * the path and says why (csa_io_error). */
csa_status csa_write_bytes(const char *path, const void *data, size_t len, csa_error *err);

/* The path of `path` as seen from folder `dir` ("../data/x.csv"), both
 * resolved first (they must exist), into out. */
csa_status csa_path_relative(const char *dir, const char *path, char *out, size_t size,
                             csa_error *err);

/* ---- digests and the manifest ---- */

/* SHA-256 of a file's bytes as 64 lowercase hex digits and a NUL; *size
 * gets its length when size is not NULL. */
csa_status csa_sha256_file(const char *path, char hex[65], uint64_t *size, csa_error *err);

/* The time a run records: SOURCE_DATE_EPOCH when it is set (for
 * reproducible outputs), else now. */
time_t csa_run_time(void);

/* Digests of a run's inputs, worked out on a thread of their own while the
 * run reads them (a gigabyte's SHA-256 is most of a second). */
typedef struct csa_digests csa_digests;

/* Starts hashing paths[0..n) (borrowed until csa_digests_free): regular
 * files only, each within the size it had when first opened (csa/file.h),
 * so a FIFO or a device is refused and a file that changes stops the run. */
csa_status csa_digests_start(const char *const *paths, size_t n, csa_digests **out,
                             csa_error *err);
/* The same, except that path i with known[i] not NULL is not read: its
 * digest is known[i] (64 hex digits, copied) and its size known_bytes[i]
 * (csa run's digest reuse, csa/register.h). known may be NULL. */
csa_status csa_digests_start_known(const char *const *paths, const char *const *known,
                                   const uint64_t *known_bytes, size_t n, csa_digests **out,
                                   csa_error *err);
/* Waits for the digests; the first failure to read a file is the error. */
csa_status csa_digests_wait(csa_digests *d, csa_error *err);
/* The digest and size of path i, after csa_digests_wait. */
const char *csa_digests_hex(const csa_digests *d, size_t i, uint64_t *bytes);
/* Waits if need be, then frees. */
void csa_digests_free(csa_digests *d);

/* An input of a run, for the manifest. */
typedef struct csa_manifest_input {
    const char *path;   /* as given; written relative to the output folder */
    const char *spec;
    uint64_t rows;
    const char *sha256; /* from csa_digests, or NULL: worked out when the manifest is */
    uint64_t bytes;     /* with sha256 */
} csa_manifest_input;

/* Writes manifest.json through the outdir (so it is committed with the
 * rest): every output added so far with its size and SHA-256, and every
 * input with its size, SHA-256, spec and rows. Call after the other
 * outputs are written and before csa_outdir_commit. */
csa_status csa_outdir_manifest(csa_outdir *o, const char *command,
                               const csa_manifest_input *inputs, size_t ninputs,
                               csa_error *err);

/* ---- tables ---- */

/* A table as CSV (RFC 4180 quoting, LF line ends, header row). Missing
 * values are empty fields; doubles with `decimals` places. */
csa_status csa_write_csv(const csa_table *t, int decimals, const char *path,
                         csa_error *err);
/* The same to an open stream (such as stdout), named `name` in errors. */
csa_status csa_write_csv_stream(const csa_table *t, int decimals, FILE *fp, const char *name,
                                csa_error *err);

/* One worksheet of a workbook: a title row, an optional note row, then the
 * table with a styled, frozen header row and number formats. */
typedef struct csa_sheet {
    const char *name;  /* sheet tab, at most 31 characters */
    const char *title; /* first row */
    const char *note;  /* second row, or NULL */
    const csa_table *table;
    int decimals;      /* places shown for doubles */
} csa_sheet;

csa_status csa_write_xlsx(const csa_sheet *sheets, size_t nsheets,
                          const char *path, csa_error *err);

#endif
