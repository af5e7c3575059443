import Domain
import Fluent
import Vapor

/// Forgotten passwords (a link by email) and changing one's password while signed in.
enum PasswordController {
    struct ForgotInput: Content {
        var email: String?
    }

    struct ResetInput: Content {
        var token: String?
        var password: String?
        var passwordConfirmation: String?
    }

    struct ChangeInput: Content {
        var currentPassword: String?
        var password: String?
        var passwordConfirmation: String?
    }

    // MARK: Forgotten password

    @Sendable static func forgotForm(req: Request) async throws -> View {
        try await req.view.render("password-forgot", ForgotContext(req, email: "", sent: false))
    }

    /// Always the same answer, whether or not the address has an account: the form must not reveal who is registered.
    @Sendable static func forgot(req: Request) async throws -> Response {
        let input = try req.content.decode(ForgotInput.self)
        let email = String((input.email ?? "").trimmingCharacters(in: .whitespaces).lowercased().prefix(254))
        guard RegistrationRules.isEmail(email) else {
            var context = ForgotContext(req, email: email, sent: false)
            context.error = FieldErrorText.message(.invalidEmail, req.application.localization, req.language)
            return try await req.view.render("password-forgot", context).encodeResponse(status: .badRequest, for: req)
        }
        // Each request from a network address counts, whatever it asks about: the form cannot fill the outbox.
        let now = req.now
        let counted = try await AttemptThrottle.count(
            AttemptThrottle.resetRequestKeys(address: req.clientAddress), now: now, on: req.db)
        guard counted.isAdmitted else {
            var context = ForgotContext(req, email: email, sent: false)
            context.error = req.localized("forgot_locked", ["time": VietnamTime.time(counted.lockedUntil(now: now) ?? now)])
            return try await req.view.render("password-forgot", context).encodeResponse(status: .tooManyRequests, for: req)
        }
        // The same work for every address, known or not (one queued row), so the answer's timing does not tell
        // either; the worker looks the address up and sends the link.
        try await Jobs.enqueue(PasswordResetRequestJob.self, .init(email: email), on: req.db, runAt: now)
        return try await req.view.render("password-forgot", ForgotContext(req, email: email, sent: true))
            .encodeResponse(for: req)
    }

    // MARK: Reset with a link

    @Sendable static func resetForm(req: Request) async throws -> Response {
        let token = (try? req.query.get(String.self, at: "token")) ?? ""
        switch try await PasswordResets.lookup(token, on: req.db, now: req.now) {
        case .valid:
            return try await renderReset(req, token: token, errors: []).encodeResponse(for: req)
        case let failure:
            return try await refuse(req, failure)
        }
    }

    @Sendable static func reset(req: Request) async throws -> Response {
        let input = try req.content.decode(ResetInput.self)
        let token = input.token ?? ""
        guard case .valid(let reset) = try await PasswordResets.lookup(token, on: req.db, now: req.now) else {
            return try await refuse(req, try await PasswordResets.lookup(token, on: req.db, now: req.now))
        }
        let password = input.password ?? ""
        guard let owner = try await AccountModel.find(reset.$account.id, on: req.db) else {
            return try await refuse(req, .unknown)
        }
        let problems = req.application.passwordPolicy.problems(
            password, confirmation: input.passwordConfirmation ?? "", personal: owner.personalData)
        guard problems.isEmpty else {
            return try await renderReset(req, token: token, errors: problems).encodeResponse(status: .badRequest, for: req)
        }
        let hash = try await Passwords.hash(password, in: req.application)
        guard try await PasswordResets.complete(reset, passwordHash: hash, context: try await req.change()) else {
            return try await refuse(req, .used)
        }
        req.logger.notice("password reset", metadata: ["account": "\(reset.$account.id)"])
        let response = req.redirect(to: Notice.passwordReset.after(SiteURL.login.path), redirectType: .normal)
        response.cookies[Sessions.cookieName] = Sessions.cookie("", maxAge: 0, request: req)
        return response
    }

    /// An unknown, expired or spent link: 410 for those that existed, 404 for the rest, a way to ask again either way.
    private static func refuse(_ req: Request, _ lookup: PasswordResets.Lookup) async throws -> Response {
        let (status, key): (HTTPResponseStatus, String) =
            switch lookup {
            case .expired: (.gone, "reset_link_expired")
            case .used: (.gone, "reset_link_used")
            case .unknown, .valid: (.notFound, "reset_link_unknown")
            }
        req.logger.notice("password reset link refused", metadata: ["reason": "\(key)"])
        let context = MessagePageContext(
            page: PageContext(request: req, title: req.localized("reset_title")), message: req.localized(key),
            link: .init(label: req.localized("forgot_again"), url: SiteURL.passwordForgot.path, lang: req.language.rawValue))
        return try await req.view.render("message", context).encodeResponse(status: status, for: req)
    }

    private static func renderReset(_ req: Request, token: String, errors: [FieldError]) async throws -> View {
        var context = PasswordFormContext(
            page: PageContext(request: req, title: req.localized("reset_title")), csrf: req.csrfToken,
            action: SiteURL.passwordReset.path, token: token, asksCurrent: false,
            errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: ["currentPassword", "password", "passwordConfirmation"], req)
        return try await req.view.render("password-form", context)
    }

    // MARK: Change while signed in

    @Sendable static func changeForm(req: Request) async throws -> View {
        try await renderChange(req, errors: [])
    }

    @Sendable static func change(req: Request) async throws -> Response {
        guard let account = req.account else { return req.redirect(to: SiteURL.login.path, redirectType: .normal) }
        let input = try req.content.decode(ChangeInput.self)
        let password = input.password ?? ""
        var problems = req.application.passwordPolicy.problems(
            password, confirmation: input.passwordConfirmation ?? "", personal: account.personalData)
        // The current password is checked like a sign-in: someone holding a stolen session must not be able to
        // guess it here without limit.
        let now = req.now
        let counted = try await AttemptThrottle.count(
            AttemptThrottle.passwordChangeKeys(account: try account.requireID()), now: now, on: req.db)
        guard counted.isAdmitted else {
            let until = counted.lockedUntil(now: now) ?? now
            problems = [FieldError("currentPassword", .tooManyAttempts(until: VietnamTime.time(until)))]
            return try await renderChange(req, errors: problems).encodeResponse(status: .tooManyRequests, for: req)
        }
        if try await Passwords.verify(input.currentPassword ?? "", against: account.passwordHash, in: req.application) {
            // A right current password is no guess, whatever is wrong with the new one.
            try await AttemptThrottle.signedIn(counted, now: now, on: req.db)
        } else {
            problems.insert(FieldError("currentPassword", .wrongPassword), at: 0)
        }
        guard problems.isEmpty else {
            req.logger.info("password change refused", metadata: ["fields": "\(problems.map(\.field))"])
            return try await renderChange(req, errors: problems).encodeResponse(status: .badRequest, for: req)
        }
        let hash = try await Passwords.hash(password, in: req.application)
        let accountID = try account.requireID()
        let context = try await req.change()
        // Any other browser signed in with the old password is signed out; this one gets a new session below.
        try await req.db.transaction { transaction in
            try await Credentials.replace(of: account, with: hash, because: .changed, context: context, on: transaction)
        }
        req.logger.notice("password changed", metadata: ["account": "\(accountID)"])
        let response = req.redirect(to: Notice.passwordChanged.after(SiteURL.account.path), redirectType: .normal)
        response.cookies[Sessions.cookieName] = try await Sessions.start(for: accountID, on: req)
        return response
    }

    private static func renderChange(_ req: Request, errors: [FieldError]) async throws -> View {
        var context = PasswordFormContext(
            page: PageContext(request: req, title: req.localized("password_change_title")), csrf: req.csrfToken,
            action: SiteURL.passwordChange.path, token: nil, asksCurrent: true,
            errors: FieldErrorText.messages(errors, req))
        context.listProblems(order: ["currentPassword", "password", "passwordConfirmation"], req)
        return try await req.view.render("password-form", context)
    }

    // MARK: Shown again (a lost anti-forgery token)

    @Sendable static func forgotAgain(req: Request) async throws -> View {
        let email = (try? req.content.decode(ForgotInput.self))?.email ?? ""
        return try await req.view.render("password-forgot", ForgotContext(req, email: String(email.prefix(254)), sent: false))
    }

    @Sendable static func resetAgain(req: Request) async throws -> View {
        let token = (try? req.content.decode(ResetInput.self))?.token ?? ""
        return try await renderReset(req, token: String(token.prefix(128)), errors: [])
    }

    @Sendable static func changeAgain(req: Request) async throws -> View {
        try await renderChange(req, errors: [])
    }
}

struct ForgotContext: Encodable {
    var page: PageContext
    var csrf: String
    var email: String
    /// "If an account uses this address, a link is on its way."
    var sent: Bool
    var error: String?
    var loginURL: String

    init(_ req: Request, email: String, sent: Bool) {
        page = PageContext(request: req, title: req.localized("forgot_title"))
        csrf = req.csrfToken
        self.email = email
        self.sent = sent
        loginURL = SiteURL.login.path
    }
}

/// The new-password form, for a reset link (`token`) or a signed-in change (`asksCurrent`).
struct PasswordFormContext: FormPageContext {
    var page: PageContext
    var csrf: String
    var action: String
    var token: String?
    var asksCurrent: Bool
    var errors: [String: String]
    var problems: [FormProblem] = []
}

/// A page that says one thing and offers one way on.
struct MessagePageContext: Encodable {
    var page: PageContext
    var message: String
    var link: PageContext.Link?
}

extension FieldErrorText {
    /// The first problem of each field, as sentences in the reader's language.
    static func messages(_ errors: [FieldError], _ req: Request) -> [String: String] {
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil {
            messages[error.field] = message(error.problem, req.application.localization, req.language)
        }
        return messages
    }
}
