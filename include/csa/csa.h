/* csa/csa.h: the whole public interface of csa. */
#ifndef CSA_CSA_H
#define CSA_CSA_H

#include "csa/error.h"
#include "csa/text.h"
#include "csa/table.h"
#include "csa/ingest.h"
#include "csa/geo.h"
#include "csa/stats.h"
#include "csa/trend.h"
#include "csa/inequality.h"
#include "csa/survey.h"
#include "csa/disclosure.h"
#include "csa/report.h"
#include "csa/assessment.h"
#include "csa/assess.h"
#include "csa/calc.h"
#include "csa/register.h"

#define CSA_VERSION "0.1.0"

#endif
