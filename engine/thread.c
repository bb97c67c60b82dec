/* Threads started in one place: see csa/thread.h. */
#include <stdlib.h>

#include "csa/thread.h"

bool csa_thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    const char *one = getenv("CSA_TEST_ONE_THREAD");
    if (one && *one)
        return false;
    return pthread_create(t, NULL, fn, arg) == 0;
}
