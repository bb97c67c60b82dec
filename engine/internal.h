/* Private to the engine. */
#ifndef CSA_ENGINE_INTERNAL_H
#define CSA_ENGINE_INTERNAL_H

/* GSL aborts on errors by default; csa returns errors as values. Call at
 * the top of any function that uses GSL; cheap after the first call. */
void csa_gsl_quiet(void);

#include "csa/stats.h"

/* An estimate with no value: NaN everywhere, and these flags. */
void csa_estimate_missing(csa_estimate *e, unsigned flags);

#endif
