import Domain
import Fluent
import Vapor

/// Registration, sign-in and sign-out for citizens and businesses, and their account page.
enum AccountController {
    /// The registration form as posted; every field optional so a half-filled form still decodes.
    struct RegistrationInput: Content {
        var kind: String?
        var fullName: String?
        var birthDate: String?
        var personalID: String?
        var phone: String?
        var email: String?
        var password: String?
        var passwordConfirmation: String?
        var businessName: String?
        var taxCode: String?
        var legalRepresentative: String?

        var form: RegistrationForm {
            RegistrationForm(
                kind: RegistrationForm.Kind(rawValue: kind ?? "") ?? .citizen, fullName: fullName ?? "",
                birthDate: birthDate ?? "", personalID: personalID ?? "", phone: phone ?? "", email: email ?? "",
                password: password ?? "", passwordConfirmation: passwordConfirmation ?? "",
                businessName: businessName ?? "", taxCode: taxCode ?? "", legalRepresentative: legalRepresentative ?? "")
        }
    }

    struct LoginInput: Content {
        var email: String?
        var password: String?
    }

    @Sendable static func registrationForm(req: Request) async throws -> View {
        try await renderRegistration(req, form: RegistrationForm(), errors: FormErrors([]))
    }

    @Sendable static func register(req: Request) async throws -> Response {
        let form = try req.content.decode(RegistrationInput.self).form
        let registration: Registration
        do {
            registration = try RegistrationRules.validate(
                form, today: VietnamTime.today(now: req.now), passwords: req.application.passwordPolicy)
        } catch {
            return try await renderRegistration(req, form: form, errors: error).encodeResponse(status: .badRequest, for: req)
        }
        // Each complete form from an address counts: its answer tells whether the ID or email is taken.
        let now = req.now
        let counted = try await AttemptThrottle.count(
            AttemptThrottle.registrationKeys(address: req.clientAddress), now: now, on: req.db)
        guard counted.isAdmitted else {
            let until = counted.lockedUntil(now: now) ?? now
            return try await renderRegistration(
                req, form: form, errors: FormErrors([]),
                alert: req.localized("register_locked", ["time": VietnamTime.time(until)])
            ).encodeResponse(status: .tooManyRequests, for: req)
        }
        let account: AccountModel
        do {
            account = try await Accounts.register(registration, context: try await req.change())
        } catch let error as UserError {
            guard case .invalidFields(let errors) = error.kind else { throw error }
            return try await renderRegistration(req, form: form, errors: errors).encodeResponse(status: error.status, for: req)
        }
        let response = req.redirect(to: SiteURL.account.path, redirectType: .normal)
        response.cookies[Sessions.cookieName] = try await Sessions.start(for: try account.requireID(), on: req)
        return response
    }

    @Sendable static func loginForm(req: Request) async throws -> View {
        try await renderLogin(req, email: "", failed: false, lockedUntil: nil)
    }

    @Sendable static func login(req: Request) async throws -> Response {
        let input = try req.content.decode(LoginInput.self)
        // Control characters (a stray one pasted with the address, or a NUL that PostgreSQL cannot compare) are in no
        // account's email: they are dropped, not looked up.
        let typed = String((input.email ?? "").unicodeScalars.filter { $0.properties.generalCategory != .control }.map(Character.init))
        let email = String(typed.trimmingCharacters(in: .whitespaces).lowercased().prefix(254))
        let now = req.now
        // Counted before the password is checked, in one step with reading the count: of many simultaneous
        // guesses only the first few are checked at all.
        let counted = try await AttemptThrottle.count(
            AttemptThrottle.signInKeys(email: email, address: req.clientAddress), now: now, on: req.db)
        guard counted.isAdmitted else {
            let until = counted.lockedUntil(now: now) ?? now
            req.logger.notice("sign-in refused: locked", metadata: ["until": "\(until)"])
            return try await renderLogin(req, email: email, failed: false, lockedUntil: until)
                .encodeResponse(status: .tooManyRequests, for: req)
        }
        let account = email.isEmpty ? nil : try await AccountModel.query(on: req.db).filter(\.$email == email).first()
        // Verify against a dummy hash when there is no account, so timing does not tell which emails exist.
        let verified = try await Passwords.verify(input.password ?? "", against: account?.passwordHash, in: req.application)
        guard let account, verified else {
            req.logger.info("sign-in refused")
            // This attempt may have been the one that locked the key.
            let until = counted.lockedUntil(now: now)
            return try await renderLogin(req, email: email, failed: until == nil, lockedUntil: until)
                .encodeResponse(status: until == nil ? .unauthorized : .tooManyRequests, for: req)
        }
        try await AttemptThrottle.signedIn(counted, now: now, on: req.db)
        let response = req.redirect(to: SiteURL.account.path, redirectType: .normal)
        response.cookies[Sessions.cookieName] = try await Sessions.start(for: try account.requireID(), on: req)
        return response
    }

    @Sendable static func logout(req: Request) async throws -> Response {
        let response = req.redirect(to: SiteURL.home.path, redirectType: .normal)
        response.cookies[Sessions.cookieName] = try await Sessions.end(on: req)
        return response
    }

    @Sendable static func logoutEverywhere(req: Request) async throws -> Response {
        guard let account = req.account else { return req.redirect(to: SiteURL.login.path, redirectType: .normal) }
        try await Sessions.endAll(for: try account.requireID(), on: req.db)
        let response = req.redirect(to: SiteURL.home.path, redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie("", maxAge: 0, request: req)
        return response
    }

    @Sendable static func show(req: Request) async throws -> Response {
        guard let account = req.account else { return req.redirect(to: SiteURL.login.path, redirectType: .normal) }
        let maskedID = account.personalID.flatMap { try? CitizenID($0).masked }
        let memberships = try await MembershipModel.query(on: req.db).filter(\.$account.$id == account.requireID())
            .with(\.$agency).all()
        let roles = memberships.map { membership in
            req.localized("role_" + membership.role.rawValue) + " — "
                + (membership.agency?.name ?? req.localized("role_whole_system"))
        }.sorted()
        let context = AccountContext(
            page: PageContext(request: req, title: req.localized("account_title")), csrf: req.csrfToken,
            fullName: account.fullName, email: account.email, phone: account.phone, personalID: maskedID,
            businessName: account.businessName, taxCode: account.taxCode, roles: roles)
        return try await req.view.render("account", context).encodeResponse(for: req)
    }

    // MARK: - Rendering


    private static func renderRegistration(
        _ req: Request, form: RegistrationForm, errors: FormErrors, alert: String? = nil
    ) async throws -> View {
        let messages = FieldErrorText.messages(errors.fields, req)
        var context = RegistrationContext(
            page: PageContext(request: req, title: req.localized("register_title")), csrf: req.csrfToken,
            form: .init(form), errors: messages, alert: alert, loginURL: SiteURL.login.path)
        context.listProblems(order: errors.fields.map(\.field), req)
        return try await req.view.render("register", context)
    }

    private static func renderLogin(_ req: Request, email: String, failed: Bool, lockedUntil: Date?) async throws -> View {
        let locked = lockedUntil.map { req.localized("login_locked", ["time": VietnamTime.time($0)]) }
        let context = LoginContext(
            page: PageContext(request: req, title: req.localized("login_title")), csrf: req.csrfToken, email: email,
            failed: failed, locked: locked,
            registerURL: SiteURL.register.path,
            sso: req.application.oidcProvider.map { provider in
                PageContext.Link(
                    label: req.localized("login_with_provider", ["name": provider.config.displayName]),
                    url: SiteURL.oidcStart.path, lang: req.language.rawValue)
            })
        return try await req.view.render("login", context)
    }

    // MARK: - Shown again (a lost anti-forgery token)

    @Sendable static func registrationAgain(req: Request) async throws -> View {
        let form = (try? req.content.decode(RegistrationInput.self))?.form ?? RegistrationForm()
        return try await renderRegistration(req, form: form, errors: FormErrors([]))
    }

    @Sendable static func loginAgain(req: Request) async throws -> View {
        let email = (try? req.content.decode(LoginInput.self))?.email ?? ""
        return try await renderLogin(req, email: String(email.prefix(254)), failed: false, lockedUntil: nil)
    }
}

// MARK: - Contexts

struct RegistrationContext: FormPageContext {
    /// What was typed, sent back so nothing is lost; passwords are never sent back.
    struct Values: Encodable {
        var kind: String
        var fullName, birthDate, personalID, phone, email, businessName, taxCode, legalRepresentative: String

        init(_ form: RegistrationForm) {
            kind = form.kind.rawValue
            fullName = form.fullName
            birthDate = form.birthDate
            personalID = form.personalID
            phone = form.phone
            email = form.email
            businessName = form.businessName
            taxCode = form.taxCode
            legalRepresentative = form.legalRepresentative
        }
    }

    var page: PageContext
    var csrf: String
    var form: Values
    var errors: [String: String]
    var problems: [FormProblem] = []
    /// "Please correct the N problems below", when there are some.
    var alert: String?
    var loginURL: String
}

struct LoginContext: Encodable {
    var page: PageContext
    var csrf: String
    var email: String
    var failed: Bool
    /// "Sign-in is paused until 14:35", when too many attempts failed.
    var locked: String?
    var registerURL: String
    /// "Sign in with VNeID", when an identity provider is configured.
    var sso: PageContext.Link?
}

struct AccountContext: Encodable {
    var page: PageContext
    var csrf: String
    var fullName: String
    var email: String
    var phone: String
    var personalID: String?
    var businessName: String?
    var taxCode: String?
    /// "Chuyên viên thụ lý — Phường Ba Đình", for officers.
    var roles: [String]
}
