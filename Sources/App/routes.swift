import Vapor

/// Three kinds of route, each with its own middleware: pages (forms with anti-forgery tokens, a session cookie),
/// the API under `/api/v1` (bearer tokens, never a cookie), and operations (probes and metrics, neither).
func routes(_ app: Application) throws {
    // The session first: who is signed in decides access and the token forms carry.
    let pages = app.grouped(SessionMiddleware(), AccessMiddleware(audience: .pages), CSRFMiddleware())
    let api = APIRoutes(app.grouped(BearerTokenMiddleware(), AccessMiddleware(audience: .api)))
    let operations = app.grouped(AccessMiddleware(audience: .api))

    // pages
    pages.get(.home, use: CatalogueController.home).access(.everyone)
    pages.get(.procedures, use: CatalogueController.list).access(.everyone)
    pages.get(.procedure(code: ""), use: CatalogueController.show).access(.everyone)
    pages.get(.language(""), use: LanguageController.choose).access(.everyone)

    // accounts
    pages.get(.register, use: AccountController.registrationForm).access(.everyone)
    pages.post(.register, use: AccountController.register).access(.everyone)
        .shownAgain(by: AccountController.registrationAgain)
    pages.get(.login, use: AccountController.loginForm).access(.everyone)
    pages.post(.login, use: AccountController.login).access(.everyone).shownAgain(by: AccountController.loginAgain)
    pages.post(.logout, use: AccountController.logout).access(.everyone)
    pages.post(.logoutEverywhere, use: AccountController.logoutEverywhere).access(.signedIn)
    pages.get(.account, use: AccountController.show).access(.signedIn)
    pages.get(.passwordForgot, use: PasswordController.forgotForm).access(.everyone)
    pages.post(.passwordForgot, use: PasswordController.forgot).access(.everyone)
        .shownAgain(by: PasswordController.forgotAgain)
    pages.get(.passwordReset, use: PasswordController.resetForm).access(.everyone)
    pages.post(.passwordReset, use: PasswordController.reset).access(.everyone)
        .shownAgain(by: PasswordController.resetAgain)
    pages.get(.passwordChange, use: PasswordController.changeForm).access(.signedIn)
    pages.post(.passwordChange, use: PasswordController.change).access(.signedIn)
        .shownAgain(by: PasswordController.changeAgain)
    pages.get(.oidcStart, use: OIDCController.start).access(.everyone)
    pages.get(.oidcCallback, use: OIDCController.callback).access(.everyone)
    pages.get(.notifications, use: NotificationController.list).access(.signedIn)
    pages.post(.notificationsRead, use: NotificationController.markRead).access(.signedIn)

    // administration (agency and system admins; auditors read)
    let id = UUID.routeParameter
    pages.get(.admin, use: AdminController.home).access(.officer)
    pages.get(.adminOfficers, use: AdminController.officers).access(.officer)
    pages.get(.adminNewOfficer, use: AdminController.newOfficerForm).access(.officer)
    pages.post(.adminOfficers, use: AdminController.createOfficer).access(.officer)
        .shownAgain(by: AdminController.newOfficerAgain)
    pages.get(.adminOfficer(id), use: AdminController.officer).access(.officer)
    pages.post(.adminGrantRole(id), use: AdminController.grantRole).access(.officer)
        .shownAgain(by: AdminController.grantRoleAgain)
    pages.post(.adminRevokeRole(id, id), use: AdminController.revokeRole).access(.officer)
    pages.get(.adminUnits, use: AdminController.units).access(.officer)
    pages.post(.adminUnits, use: AdminController.createUnit).access(.officer).shownAgain(by: AdminController.unitsAgain)
    pages.post(.adminOfficeHours, use: AdminController.setOfficeHours).access(.officer)
        .shownAgain(by: AdminController.officeHoursAgain)
    pages.get(.adminTokens, use: AdminController.tokens).access(.officer)
    pages.post(.adminTokens, use: AdminController.createToken).access(.officer)
        .shownAgain(by: AdminController.tokensAgain)
    pages.post(.adminTokenRevoke(id), use: AdminController.revokeToken).access(.officer)
    pages.get(.adminAudit, use: AdminController.audit).access(.officer)
    pages.post(.adminAuditVerify, use: AdminController.verifyAudit).access(.officer)
    pages.get(.adminCalendar, use: CalendarAdminController.show).access(.officer)
    pages.post(.adminCalendarAdjustments, use: CalendarAdminController.add).access(.officer)
        .shownAgain(by: CalendarAdminController.addAgain)
    pages.post(.adminCalendarRemove(id), use: CalendarAdminController.remove).access(.officer)
    pages.get(.adminProcedure(code: ""), use: ProcedureSettingsController.show).access(.officer)
    pages.post(.adminProcedurePauseRule(code: ""), use: ProcedureSettingsController.setPauseRule).access(.officer)
        .shownAgain(by: ProcedureSettingsController.pauseRuleAgain)
    pages.get(.adminProcedureForm(code: ""), use: FormEditorController.show).access(.officer)
    pages.post(.adminProcedureForm(code: ""), bodyLimit: FormEditorController.bodyLimit, use: FormEditorController.submit)
        .access(.officer)
        .shownAgain(by: FormEditorController.submitAgain)
    pages.get(.adminJobs, use: JobsAdminController.show).access(.officer)
    pages.post(.adminJobRetry(id), use: JobsAdminController.retry).access(.officer)

    // API
    api.get(.procedures, use: ProcedureAPIController.list).access(.everyone)
    api.get(.procedure(code: ""), use: ProcedureAPIController.show).access(.everyone)
    api.get(.procedureForm(code: ""), use: ProcedureAPIController.form).access(.everyone)
    api.get(.agencies, use: AgencyAPIController.children).access(.everyone)
    api.get(.openAPI, use: OpenAPIController.document).access(.everyone)
    api.get(.calendarDue, use: CalendarAPIController.due).access(.everyone)
    api.get(.calendarYear(0), use: CalendarAPIController.year).access(.everyone)
    api.get(.me, use: TokenAPIController.me).access(.apiClient)
    api.post(.agencies, use: AdministrationAPIController.createUnit).access(.apiClient)
    api.get(.officers, use: AdministrationAPIController.officers).access(.apiClient)
    api.post(.officers, use: AdministrationAPIController.createOfficer).access(.apiClient)
    api.get(.officer(id), use: AdministrationAPIController.officer).access(.apiClient)
    api.post(.officerRoles(id), use: AdministrationAPIController.grantRole).access(.apiClient)
    api.delete(.officerRole(id, id), use: AdministrationAPIController.revokeRole).access(.apiClient)
    api.get(.roles, use: AdministrationAPIController.roles).access(.apiClient)
    api.get(.tokens, use: AdministrationAPIController.tokens).access(.apiClient)

    // operations
    operations.get(.healthz, use: OperationsController.healthz).access(.everyone)
    operations.get(.readyz, use: OperationsController.readyz).access(.everyone)
    operations.get(.metrics, use: OperationsController.metrics).access(.operatorTool)
}

/// Registers API routes from `SiteURL.API` only, so every one of them lies under `/api/v1` with the API's
/// middleware.
struct APIRoutes {
    let builder: any RoutesBuilder

    init(_ builder: any RoutesBuilder) {
        self.builder = builder
    }

    @discardableResult
    func get<Response: AsyncResponseEncodable>(
        _ url: SiteURL.API, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        builder.get(.api(url), use: handler)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(
        _ url: SiteURL.API, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        builder.post(.api(url), use: handler)
    }

    @discardableResult
    func delete<Response: AsyncResponseEncodable>(
        _ url: SiteURL.API, use handler: @Sendable @escaping (Request) async throws -> Response
    ) -> Route {
        builder.delete(.api(url), use: handler)
    }
}
