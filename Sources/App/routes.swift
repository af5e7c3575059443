import Vapor

func routes(_ app: Application) throws {
    // pages
    app.get(.home, use: CatalogueController.home)
    app.get(.procedures, use: CatalogueController.list)
    app.get(.procedure(code: ""), use: CatalogueController.show)
    app.get(.language(""), use: LanguageController.choose)

    // accounts
    app.get(.register, use: AccountController.registrationForm)
    app.post(.register, use: AccountController.register)
    app.get(.login, use: AccountController.loginForm)
    app.post(.login, use: AccountController.login)
    app.post(.logout, use: AccountController.logout)
    app.post(.logoutEverywhere, use: AccountController.logoutEverywhere)
    app.get(.account, use: AccountController.show)

    // API
    app.get(.api(.procedures), use: ProcedureAPIController.list)
    app.get(.api(.procedure(code: "")), use: ProcedureAPIController.show)
    app.get(.api(.agencies), use: AgencyAPIController.children)
    app.get(.api(.openAPI), use: OpenAPIController.document)

    // operations
    app.get(.healthz, use: OperationsController.healthz)
    app.get(.readyz, use: OperationsController.readyz)
    app.get(.metrics, use: OperationsController.metrics)
}
