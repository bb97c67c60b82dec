/* csa/file.h: input files, opened as regular files only and watched for
 * change. A FIFO, a device or a folder would hang a run or feed it an
 * endless stream, and a file that a partner's export is still writing gives
 * row counts and a manifest digest of bytes that were never read together:
 * both stop the run with a message instead.
 *
 * Each path's identity (device, inode, size, modification time) is recorded
 * when this process first opens it; every later open of that path
 * (validation, ingest, the digest thread, a second half of a big file) and
 * the end of every read are checked against it. The record is process-wide
 * and thread-safe. */
#ifndef CSA_FILE_H
#define CSA_FILE_H

#include <stdint.h>
#include <stdio.h>

#include "csa/error.h"

/* Opens path for reading into *out (the caller fcloses it) and sets *size
 * to the file's size, the bound every reader of it keeps to. Refuses, with
 * a CSA_ERR_IO that names the path, anything that is not a regular file
 * (checked with fstat on the opened descriptor; a FIFO is opened without
 * waiting for a writer) and a file whose identity differs from its first
 * open in this process. */
csa_status csa_file_open(const char *path, FILE **out, uint64_t *size, csa_error *err);

/* After a read of fp (opened by csa_file_open on path): fails when the
 * file's identity now differs from its first open, or when bytes (the bytes
 * read, or UINT64_MAX when the reader did not read to the end) differ from
 * its size. */
csa_status csa_file_check(FILE *fp, const char *path, uint64_t bytes, csa_error *err);

/* Forgets every recorded identity, for a test that rewrites a file it has
 * read. */
void csa_file_forget_all(void);

/* The folder of the running program (from /proc/self/exe, symbolic links
 * resolved), without its last '/', into buf: "" for a program at the root.
 * NULL when it cannot be known or does not fit in size bytes. Files that
 * come with csa are looked for from it: the GDAL module, the validator
 * page (beside csa in a build folder, or in ../share/csa installed). */
const char *csa_program_dir(char *buf, size_t size);

#endif
