import Domain
import Fluent
import Vapor

/// Citizens' and businesses' own accounts.
enum Accounts {
    /// Which of the two is taken is not said: no more than a sign-in attempt would tell.
    static let identityTaken = [FieldError("personalID", .identityTaken), FieldError("email", .identityTaken)]

    /// Creates the account of a validated registration. An email or personal ID another account holds is refused
    /// with `identityTaken` on both fields, whether the other account existed before or was registered at the
    /// same moment (the unique keys decide then).
    static func register(_ registration: Registration, context: ChangeContext) async throws -> AccountModel {
        let db = context.database
        let taken = try await AccountModel.query(on: db).group(.or) {
            $0.filter(\.$email == registration.email).filter(\.$personalID == registration.personalID.value)
        }.count()
        guard taken == 0 else { throw UserError(.invalidFields(FormErrors(identityTaken))) }
        let account = AccountModel()
        account.kind = registration.kind == .business ? .business : .citizen
        account.fullName = registration.fullName
        account.email = registration.email
        account.phone = registration.phone
        account.personalID = registration.personalID.value
        let born = registration.birthDate
        account.birthDate = String(format: "%04d-%02d-%02d", born.year ?? 0, born.month ?? 0, born.day ?? 0)
        account.businessName = registration.business?.name
        account.taxCode = registration.business?.taxCode.value
        account.legalRepresentative = registration.business?.legalRepresentative
        account.passwordHash = try await Passwords.hash(registration.password, in: context.app)
        account.language = context.language.rawValue
        try await UniqueViolation.answer([.accountEmail: identityTaken, .accountPersonalID: identityTaken]) {
            try await account.create(on: db)
        }
        context.logger.info("account registered", metadata: ["account": "\(account.id?.uuidString ?? "")"])
        return account
    }
}
