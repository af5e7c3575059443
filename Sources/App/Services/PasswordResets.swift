import Fluent
import Foundation
import SQLKit
import Vapor

/// "Forgot your password": a single-use, expiring link by email. The token is random (256 bits), only its SHA-256
/// is stored, and a page never says whether an email address has an account.
enum PasswordResets {
    static let lifetime: TimeInterval = 3600
    /// Links sent to one account per hour, so the form cannot be used to flood someone's inbox.
    static let maximumPerHour = 3

    /// Issues a link for `account` and queues the email, unless the hourly limit is reached. Returns whether a
    /// message was queued (for logs and tests; the page says the same either way).
    /// Why a link is sent: a forgotten password, or a new officer's invitation to choose one (valid longer).
    enum Purpose {
        case reset
        case invitation

        var lifetime: TimeInterval { self == .reset ? PasswordResets.lifetime : 72 * 3600 }
    }

    static func request(
        for account: AccountModel, purpose: Purpose = .reset, in app: Application, database: any Database, now: Date
    ) async throws -> Bool {
        let accountID = try account.requireID()
        let recent = try await PasswordResetModel.query(on: database)
            .filter(\.$account.$id == accountID).filter(\.$createdAt > now.addingTimeInterval(-3600)).count()
        guard recent < maximumPerHour else { return false }
        let token = Sessions.randomToken()
        try await database.transaction { transaction in
            let reset = PasswordResetModel()
            reset.$account.id = accountID
            reset.tokenHash = Sessions.hash(token)
            reset.expiresAt = now.addingTimeInterval(purpose.lifetime)
            try await reset.create(on: transaction)
            var link = URLComponents()
            link.path = SiteURL.passwordReset.path
            link.queryItems = [URLQueryItem(name: "token", value: token)]
            let message: Notifier.Message =
                switch purpose {
                case .reset: .passwordReset(link: link.string ?? "", lifetime: purpose.lifetime)
                case .invitation: .officerInvited(link: link.string ?? "", lifetime: purpose.lifetime)
                }
            try await Notifier(app).send(message, to: account, on: transaction)
        }
        return true
    }

    enum Lookup {
        case valid(PasswordResetModel)
        /// Never issued, or forged.
        case unknown
        case expired
        case used
    }

    static func lookup(_ token: String, on database: any Database, now: Date) async throws -> Lookup {
        guard !token.isEmpty, token.count <= 128,
            let reset = try await PasswordResetModel.query(on: database).filter(\.$tokenHash == Sessions.hash(token))
                .first()
        else { return .unknown }
        if reset.usedAt != nil { return .used }
        if reset.expiresAt <= now { return .expired }
        return .valid(reset)
    }

    /// Sets the new password and spends every outstanding link of the account, in one transaction; signs the
    /// account out everywhere and tells its owner (`Credentials.replace`). Returns false when the link was spent in
    /// the meantime.
    static func complete(_ reset: PasswordResetModel, passwordHash: String, context: ChangeContext) async throws -> Bool {
        let accountID = reset.$account.id
        let now = context.now
        return try await context.database.transaction { transaction in
            // Spend this link first, conditionally: of two submissions racing, only one gets its row back.
            guard let sql = transaction as? any SQLDatabase else { return false }
            let spent = try await sql.raw("""
                UPDATE password_resets SET used_at = \(bind: now) WHERE id = \(bind: reset.requireID()) AND used_at IS NULL
                RETURNING id
                """).all()
            guard spent.count == 1 else { return false }
            guard let account = try await AccountModel.find(accountID, on: transaction) else { return false }
            try await Credentials.replace(of: account, with: passwordHash, because: .reset, context: context, on: transaction)
            return true
        }
    }
}

/// A "forgot your password" request, handled off the request path: the address is looked up here, so the form
/// answers every address in the same time. Unknown addresses end quietly.
struct PasswordResetRequestJob: JobHandler {
    struct Payload: Codable, Sendable {
        var email: String
    }

    static let kind = "password.reset_requested"
    /// The address is personal data: it does not stay once handled.
    static let redactsPayloadWhenDone = true

    func handle(_ payload: Payload, context: JobContext) async throws {
        guard let account = try await AccountModel.query(on: context.db).filter(\.$email == payload.email).first() else {
            context.logger.info("password reset requested for an unknown address")
            return
        }
        let queued = try await PasswordResets.request(
            for: account, in: context.application, database: context.db, now: context.application.clock.now)
        context.logger.notice("password reset requested", metadata: [
            "account": "\(account.id?.uuidString ?? "")", "queued": "\(queued)",
        ])
    }
}
