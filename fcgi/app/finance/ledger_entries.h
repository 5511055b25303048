/* The entries of the ledger, described for the resource layer: the API
 * list (/api/v1/ledger/entries), the « Grand livre » page's rows and its
 * CSV/XLSX export, filtered by account, driver and period. */
#ifndef FC_FINANCE_LEDGER_ENTRIES_H
#define FC_FINANCE_LEDGER_ENTRIES_H

#include "resource/resource.h"

extern const struct resource ledger_entry_resource;

#endif
