/* csa/error.h: one status type for the whole library, and an error value
 * that says where a problem happened (file, line, column, field, value). */
#ifndef CSA_ERROR_H
#define CSA_ERROR_H

#include <stddef.h>
#include <stdint.h>

typedef enum csa_status {
    CSA_OK = 0,
    CSA_ERR_NOMEM,     /* an allocation failed or a size overflowed */
    CSA_ERR_IO,        /* a file could not be opened, read or written */
    CSA_ERR_USAGE,     /* a caller passed something that cannot work */
    CSA_ERR_FORMAT,    /* a file's structure is wrong: header, field count, empty */
    CSA_ERR_VALUE,     /* a value cannot be read as its column's type or range */
    CSA_ERR_DUPLICATE, /* a key that must be unique appears twice */
    CSA_ERR_NOT_FOUND, /* a name or code that was asked for is not there */
    CSA_ERR_LIMIT,     /* a size limit was hit (field length, columns, groups) */
    CSA_ERR_REJECTS,   /* too many rows of a file were rejected */
    CSA_ERR_STATE,     /* an operation on an object in the wrong state */
} csa_status;

/* Sizes of the text buffers inside csa_error; longer text is cut. A value
 * is shown whole up to 255 bytes (police.uk's 64-character Crime IDs, long
 * names), and a message has room for it and two file names. */
enum { CSA_ERROR_FILE_MAX = 256, CSA_ERROR_FIELD_MAX = 64,
       CSA_ERROR_VALUE_MAX = 256, CSA_ERROR_MESSAGE_MAX = 768 };

/* An error value. Line and column are 1-based; 0 means "not known".
 * Holds no pointers, so it can be copied and kept freely. */
typedef struct csa_error {
    csa_status status;
    char file[CSA_ERROR_FILE_MAX];
    uint64_t line;
    uint64_t column;
    char field[CSA_ERROR_FIELD_MAX];
    char value[CSA_ERROR_VALUE_MAX];
    char message[CSA_ERROR_MESSAGE_MAX];
} csa_error;

/* A fixed English sentence for a status; never NULL. */
const char *csa_strerror(csa_status status);

/* Sets every field of *err (err may be NULL) and returns status, so that a
 * function can `return csa_error_set(err, CSA_ERR_VALUE, ...)`. file, field
 * and value may be NULL. The message is printf-formatted. */
csa_status csa_error_set(csa_error *err, csa_status status, const char *file,
                         uint64_t line, uint64_t column, const char *field,
                         const char *value, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Writes "file:line:column: message" (parts that are not known left out)
 * into buf, cut to size; returns buf. */
char *csa_error_format(const csa_error *err, char *buf, size_t size);

#endif
