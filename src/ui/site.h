/*
 * site.h — the home page, signing in and out, and the user's own account.
 */
#ifndef DANVAN_UI_SITE_H
#define DANVAN_UI_SITE_H

#include "../web/req.h"

Rc ui_home(Req *r);
Rc ui_login_form(Req *r);
Rc ui_login(Req *r);
Rc ui_logout(Req *r);
Rc ui_account(Req *r);
Rc ui_account_password(Req *r);
Rc ui_account_lang(Req *r);

#endif
