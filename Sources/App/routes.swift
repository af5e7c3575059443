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
    app.get(.notifications, use: NotificationController.list).access(.signedIn)
    app.post(.notificationsRead, use: NotificationController.markRead).access(.signedIn)

    // API
    app.get(.api(.procedures), use: ProcedureAPIController.list).access(.everyone)
    app.get(.api(.procedure(code: "")), use: ProcedureAPIController.show).access(.everyone)
    app.get(.api(.agencies), use: AgencyAPIController.children).access(.everyone)
    app.get(.api(.openAPI), use: OpenAPIController.document).access(.everyone)
    app.get(.api(.me), use: TokenAPIController.me).access(.apiClient)

    // operations
    app.get(.healthz, use: OperationsController.healthz).access(.everyone)
    app.get(.readyz, use: OperationsController.readyz).access(.everyone)
    app.get(.metrics, use: OperationsController.metrics).access(.everyone)
}
