import Fluent
import Vapor

/// Replacing what lets someone into an account, the one way every path does it (a reset link, a change while
/// signed in, an identity provider taking the account over): the new password hash, every session ended, every
/// outstanding reset link spent (a link mailed before must not undo the change), the owner told, the audit entry.
enum Credentials {
    enum Reason {
        /// A reset link was used.
        case reset
        /// The owner changed it while signed in.
        case changed
        /// A verified identity from `issuer` took the account over; `previousEmail` is told, since whoever
        /// registered the account may not be that person.
        case linkedToIdentity(issuer: String, previousEmail: String)

        var auditAction: String {
            switch self {
            case .reset: "password.reset"
            case .changed: "password.changed"
            case .linkedToIdentity: "sso.linked"
            }
        }
    }

    /// Saves `account` (with any other changes already made to it) with `passwordHash`, on `transaction`. The
    /// audit entry names the account's owner as the actor: they are the one who did it, whoever `context` says is
    /// asking (nobody is signed in on a reset link).
    static func replace(
        of account: AccountModel, with passwordHash: String, because reason: Reason, context: ChangeContext,
        on transaction: any Database
    ) async throws {
        let accountID = try account.requireID()
        account.passwordHash = passwordHash
        try await account.save(on: transaction)
        try await Sessions.endAll(for: accountID, on: transaction)
        try await PasswordResetModel.query(on: transaction).filter(\.$account.$id == accountID)
            .filter(\.$usedAt == nil).set(\.$usedAt, to: context.now).update()
        let notifier = Notifier(context.app)
        var details: [String: String] = [:]
        switch reason {
        case .reset, .changed:
            try await notifier.send(.passwordChanged, to: account, on: transaction)
        case .linkedToIdentity(let issuer, let previousEmail):
            details["issuer"] = issuer
            var mail = notifier.mail(.ssoLinked(byEmail: true), to: account)
            mail.to = previousEmail
            try await Jobs.enqueue(EmailJob.self, mail, on: transaction, runAt: context.now)
            try await notifier.send(.ssoLinked(byEmail: false), to: account, on: transaction)
        }
        var owner = context
        owner.actor = account.kind == .officer
            ? .officer(id: accountID, memberships: []) : .applicant(id: accountID)
        try await owner.audit(reason.auditAction, subject: AuditLog.name("account", accountID), details: details, on: transaction)
    }
}
