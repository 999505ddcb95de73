/*
 * receptions.h — pages of the citizens' reception schedule
 * (domain/reception.h): the public page /lich-tiep-cong-dan and the staff
 * page /receptions where it is kept.
 */
#ifndef DANVAN_UI_RECEPTIONS_H
#define DANVAN_UI_RECEPTIONS_H

#include "../web/req.h"

Rc ui_reception_public(Req *r);  /* GET /lich-tiep-cong-dan */
Rc ui_receptions(Req *r);        /* GET /receptions */
Rc ui_reception_add(Req *r);     /* POST /receptions */
Rc ui_reception_cancel(Req *r);  /* POST /receptions/ID/cancel */

#endif
