/*
 * units.h — public pages about administrative units and regions, and the
 * JSON code resolver:
 *
 *   GET /units                 provinces in force (or ?era=2020: before
 *                              2025) with their commune counts; ?q= search
 *                              over both eras, accent-insensitive
 *   GET /units/resolve?code=   every unit with a GSO code, of either era,
 *                              and what it is today
 *   GET /units/{id}            one unit: facts, parent, children,
 *                              predecessors and successors
 *   GET /regions               the regions
 *   GET /regions/{code}        members and the provinces in force they map to
 *   GET /api/v1/units/resolve?code=   the resolver as JSON
 *
 * All read-only and public (CAP_NONE): the data is official and public.
 */
#ifndef DANVAN_UI_UNITS_H
#define DANVAN_UI_UNITS_H

#include "../web/req.h"

Rc ui_units_index(Req *r);
Rc ui_unit_show(Req *r);
Rc ui_units_resolve(Req *r);
Rc ui_regions_index(Req *r);
Rc ui_region_show(Req *r);
Rc api_units_resolve(Req *r);

#endif
