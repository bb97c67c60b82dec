/* The table of indicator kinds: adding a kind is a file of its own and a
 * row here. */
#include <string.h>

#include "kind.h"

static const csa_kind *const kinds[] = {&csa_kind_police, &csa_kind_fingertips, &csa_kind_survey,
                                        &csa_kind_partner_counts, &csa_kind_partner_incidents};

const csa_kind *csa_kind_for_spec(const char *spec)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(kinds[i]->spec, spec))
            return kinds[i];
    return NULL;
}

const csa_kind *csa_kind_at(size_t i)
{
    return i < sizeof kinds / sizeof kinds[0] ? kinds[i] : NULL;
}

const char *csa_kind_name(const csa_kind *k)
{
    return k->name;
}
