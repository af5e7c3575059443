import Vapor

func routes(_ app: Application) throws {
    // pages
    app.get(.home, use: CatalogueController.home).access(.everyone)
    app.get(.procedures, use: CatalogueController.list).access(.everyone)
    app.get(.procedure(code: ""), use: CatalogueController.show).access(.everyone)
    app.get(.language(""), use: LanguageController.choose).access(.everyone)

    // accounts
    app.get(.register, use: AccountController.registrationForm).access(.everyone)
    app.post(.register, use: AccountController.register).access(.everyone)
    app.get(.login, use: AccountController.loginForm).access(.everyone)
    app.post(.login, use: AccountController.login).access(.everyone)
    app.post(.logout, use: AccountController.logout).access(.everyone)
    app.post(.logoutEverywhere, use: AccountController.logoutEverywhere).access(.signedIn)
    app.get(.account, use: AccountController.show).access(.signedIn)
    app.get(.passwordForgot, use: PasswordController.forgotForm).access(.everyone)
    app.post(.passwordForgot, use: PasswordController.forgot).access(.everyone)
    app.get(.passwordReset, use: PasswordController.resetForm).access(.everyone)
    app.post(.passwordReset, use: PasswordController.reset).access(.everyone)
    app.get(.passwordChange, use: PasswordController.changeForm).access(.signedIn)
    app.post(.passwordChange, use: PasswordController.change).access(.signedIn)
    app.get(.oidcStart, use: OIDCController.start).access(.everyone)
    app.get(.oidcCallback, use: OIDCController.callback).access(.everyone)
    app.get(.notifications, use: NotificationController.list).access(.signedIn)
    app.post(.notificationsRead, use: NotificationController.markRead).access(.signedIn)

    // administration (agency and system admins; auditors read)
    let id = UUID.routeParameter
    app.get(.admin, use: AdminController.home).access(.officer)
    app.get(.adminOfficers, use: AdminController.officers).access(.officer)
    app.get(.adminNewOfficer, use: AdminController.newOfficerForm).access(.officer)
    app.post(.adminOfficers, use: AdminController.createOfficer).access(.officer)
    app.get(.adminOfficer(id), use: AdminController.officer).access(.officer)
    app.post(.adminGrantRole(id), use: AdminController.grantRole).access(.officer)
    app.post(.adminRevokeRole(id, id), use: AdminController.revokeRole).access(.officer)
    app.get(.adminUnits, use: AdminController.units).access(.officer)
    app.post(.adminUnits, use: AdminController.createUnit).access(.officer)
    app.get(.adminTokens, use: AdminController.tokens).access(.officer)
    app.post(.adminTokens, use: AdminController.createToken).access(.officer)
    app.post(.adminTokenRevoke(id), use: AdminController.revokeToken).access(.officer)
    app.get(.adminAudit, use: AdminController.audit).access(.officer)
    app.get(.adminCalendar, use: CalendarAdminController.show).access(.officer)
    app.post(.adminCalendarAdjustments, use: CalendarAdminController.add).access(.officer)
    app.post(.adminCalendarRemove(id), use: CalendarAdminController.remove).access(.officer)

    // API
    app.get(.api(.procedures), use: ProcedureAPIController.list).access(.everyone)
    app.get(.api(.procedure(code: "")), use: ProcedureAPIController.show).access(.everyone)
    app.get(.api(.agencies), use: AgencyAPIController.children).access(.everyone)
    app.get(.api(.openAPI), use: OpenAPIController.document).access(.everyone)
    app.get(.api(.calendarDue), use: CalendarAPIController.due).access(.everyone)
    app.get(.api(.calendarYear(0)), use: CalendarAPIController.year).access(.everyone)
    app.get(.api(.me), use: TokenAPIController.me).access(.apiClient)
    app.post(.api(.agencies), use: AdministrationAPIController.createUnit).access(.apiClient)
    app.get(.api(.officers), use: AdministrationAPIController.officers).access(.apiClient)
    app.post(.api(.officers), use: AdministrationAPIController.createOfficer).access(.apiClient)
    app.get(.api(.officer(id)), use: AdministrationAPIController.officer).access(.apiClient)
    app.post(.api(.officerRoles(id)), use: AdministrationAPIController.grantRole).access(.apiClient)
    app.delete(.api(.officerRole(id, id)), use: AdministrationAPIController.revokeRole).access(.apiClient)
    app.get(.api(.roles), use: AdministrationAPIController.roles).access(.apiClient)
    app.get(.api(.tokens), use: AdministrationAPIController.tokens).access(.apiClient)

    // operations
    app.get(.healthz, use: OperationsController.healthz).access(.everyone)
    app.get(.readyz, use: OperationsController.readyz).access(.everyone)
    app.get(.metrics, use: OperationsController.metrics).access(.operatorTool)
}
