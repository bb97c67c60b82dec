/* csa/thread.h: the one way csa starts a thread of its own. Every caller
 * has a path for when none can be had (it does the work itself), and
 * CSA_TEST_ONE_THREAD makes every start fail, so a test can run those
 * paths and require the same outputs (tests/golden/threads.sh). */
#ifndef CSA_THREAD_H
#define CSA_THREAD_H

#include <pthread.h>
#include <stdbool.h>

/* pthread_create(t, NULL, fn, arg); false when no thread was started
 * (none could be had, or CSA_TEST_ONE_THREAD is set and not empty). */
bool csa_thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

#endif
