/*
 * handlers.h — every handler named in routes.def.  Page families declare
 * theirs in their own header under src/ui or src/api; this file gathers
 * them for routes.c.
 */
#ifndef DANVAN_HANDLERS_H
#define DANVAN_HANDLERS_H

#include "req.h"
#include "../ui/site.h"
#include "../ui/units.h"
#include "../ui/admin.h"
#include "../api/api.h"
#include "../api/admin_api.h"
#include "../api/cases_api.h"
#include "../ui/cases.h"
#include "../ui/portal.h"
#include "../ui/newsroom.h"
#include "../ui/receptions.h"

/* web/assets.c */
Rc web_asset(Req *r);
Rc web_healthz(Req *r);

#endif
