import Foundation

/// What a person typed on the registration form, as text: nothing is lost when the form comes back with errors.
public struct RegistrationForm: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case citizen
        case business
    }

    public var kind: Kind
    public var fullName: String
    /// `yyyy-MM-dd`, as an HTML date input sends it.
    public var birthDate: String
    public var personalID: String
    public var phone: String
    public var email: String
    public var password: String
    public var passwordConfirmation: String
    // business accounts
    public var businessName: String
    public var taxCode: String
    public var legalRepresentative: String

    public init(
        kind: Kind = .citizen, fullName: String = "", birthDate: String = "", personalID: String = "",
        phone: String = "", email: String = "", password: String = "", passwordConfirmation: String = "",
        businessName: String = "", taxCode: String = "", legalRepresentative: String = ""
    ) {
        self.kind = kind
        self.fullName = fullName
        self.birthDate = birthDate
        self.personalID = personalID
        self.phone = phone
        self.email = email
        self.password = password
        self.passwordConfirmation = passwordConfirmation
        self.businessName = businessName
        self.taxCode = taxCode
        self.legalRepresentative = legalRepresentative
    }
}

/// A registration that passed every rule, with typed values.
public struct Registration: Sendable, Equatable {
    public var kind: RegistrationForm.Kind
    public var fullName: String
    public var birthDate: DateComponents
    public var personalID: CitizenID
    /// `0` and nine digits.
    public var phone: String
    /// Lowercased.
    public var email: String
    public var password: String
    public var business: Business?

    public struct Business: Sendable, Equatable {
        public var name: String
        public var taxCode: TaxCode
        public var legalRepresentative: String
    }
}

/// A field of the form and what is wrong with it; the interface turns it into a sentence in the reader's language.
public struct FieldError: Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        case required
        case tooLong(max: Int)
        case invalidDate
        case dateInFuture
        case invalidEmail
        case invalidPhone
        case personalID(CitizenID.Problem)
        case taxCode(TaxCode.Problem)
        case passwordTooShort(min: Int)
        case passwordTooLong(maxBytes: Int)
        case passwordsDiffer
        /// Another account already has this email or personal ID.
        case alreadyRegistered
        /// Registration: the personal ID or the email cannot be used, without saying which (that would tell who
        /// is registered).
        case identityTaken
        /// A control character (NUL, a line break in a one-line field, a bidirectional override).
        case controlCharacters
        /// The password is among the most common ones, which are guessed first.
        case commonPassword
        /// The password contains the person's name, email, ID or phone number.
        case passwordContainsPersonalData
        /// Too many tries in a short time; `until` is when trying is possible again, as people read it.
        case tooManyAttempts(until: String)
        /// The current password, asked again before changing it, is not the account's.
        case wrongPassword
        /// No agency has this code.
        case unknownAgency(code: String)
        /// Not one of the allowed values.
        case notOneOf([String])
        /// The value is valid, but the person submitting may not choose it (a role they cannot grant).
        case notPermitted
        // e-forms
        /// Not a number, or more digits after the decimal comma than `decimals`.
        case notANumber(decimals: Int)
        /// Below `minimum` or above `maximum` (either may be open).
        case numberOutOfRange(minimum: Int?, maximum: Int?)
        /// A date that may not be before today.
        case dateInPast
        /// A repeatable group with fewer entries than it needs (`min` 1 for a required group).
        case tooFewEntries(min: Int)
        case tooManyEntries(max: Int)
        /// No province, commune or ward of the 2025 list has this code.
        case unknownUnit(code: String)
        /// The commune or ward is not in the province chosen.
        case communeNotInProvince
        /// The value has the wrong shape for the field (a list where one answer goes).
        case malformed
    }

    public var field: String
    public var problem: Problem

    public init(_ field: String, _ problem: Problem) {
        self.field = field
        self.problem = problem
    }
}

/// Every problem of a form, in the order of its fields.
public struct FormErrors: Error, Sendable, Equatable {
    public var fields: [FieldError]

    public init(_ fields: [FieldError]) {
        self.fields = fields
    }

    /// The problem with `field`, if any.
    public subscript(field: String) -> FieldError.Problem? {
        fields.first { $0.field == field }?.problem
    }
}

public enum RegistrationRules {
    public static let maximumNameLength = 200

    /// Checks every field and returns all problems at once, so the form shows them together.
    public static func validate(
        _ form: RegistrationForm, today: DateComponents, passwords: PasswordPolicy
    ) throws(FormErrors) -> Registration {
        var errors: [FieldError] = []
        let fullName = required("fullName", form.fullName, &errors)
        let birthDate = date("birthDate", form.birthDate, today: today, &errors)
        var personalID: CitizenID?
        if let raw = required("personalID", form.personalID, &errors) {
            do {
                personalID = try CitizenID(raw, bornOn: birthDate)
            } catch {
                errors.append(FieldError("personalID", .personalID(error)))
            }
        }
        let phone = required("phone", form.phone, &errors).flatMap { raw -> String? in
            guard let phone = normalizedPhone(raw) else {
                errors.append(FieldError("phone", .invalidPhone))
                return nil
            }
            return phone
        }
        let email = required("email", form.email, &errors).flatMap { raw -> String? in
            guard isEmail(raw) else {
                errors.append(FieldError("email", .invalidEmail))
                return nil
            }
            return raw.lowercased()
        }
        errors += passwords.problems(
            form.password, confirmation: form.passwordConfirmation,
            personal: [form.fullName, form.email, form.personalID, normalizedPhone(form.phone) ?? form.phone, form.businessName])
        var business: Registration.Business?
        if form.kind == .business {
            let name = required("businessName", form.businessName, &errors)
            let representative = required("legalRepresentative", form.legalRepresentative, &errors)
            var taxCode: TaxCode?
            if let raw = required("taxCode", form.taxCode, &errors) {
                do {
                    taxCode = try TaxCode(raw)
                } catch {
                    errors.append(FieldError("taxCode", .taxCode(error)))
                }
            }
            if let name, let representative, let taxCode {
                business = .init(name: name, taxCode: taxCode, legalRepresentative: representative)
            }
        }
        guard errors.isEmpty, let fullName, let birthDate, let personalID, let phone, let email else {
            throw FormErrors(errors)
        }
        return Registration(
            kind: form.kind, fullName: fullName, birthDate: birthDate, personalID: personalID, phone: phone,
            email: email, password: TextInput.normalized(form.password), business: business)
    }

    /// Vietnamese mobile numbers: `0` or `+84`/`84` then nine digits starting 3, 5, 7, 8 or 9; spaces, dots and
    /// dashes are allowed between digits. Returns the `0…` form.
    public static func normalizedPhone(_ raw: String) -> String? {
        var digits = raw.filter { !" .-()".contains($0) }
        if digits.hasPrefix("+84") {
            digits = "0" + digits.dropFirst(3)
        } else if digits.hasPrefix("84"), digits.count == 11 {
            digits = "0" + digits.dropFirst(2)
        }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.hasPrefix("0"),
            let second = digits.dropFirst().first, "35789".contains(second)
        else { return nil }
        return digits
    }

    /// A deliberately plain check: one `@`, a local part, a domain with a dot, no spaces, at most 254 characters.
    /// The real proof is the confirmation mail.
    public static func isEmail(_ raw: String) -> Bool {
        let parts = raw.split(separator: "@", omittingEmptySubsequences: false)
        guard raw.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !raw.contains(where: \.isWhitespace),
            !TextInput.hasControlCharacters(raw)
        else { return false }
        return true
    }

    private static func required(_ field: String, _ raw: String, _ errors: inout [FieldError]) -> String? {
        let (value, problem) = TextInput.field(raw, maxLength: maximumNameLength)
        if let problem {
            errors.append(FieldError(field, problem))
            return nil
        }
        guard !value.isEmpty else {
            errors.append(FieldError(field, .required))
            return nil
        }
        return value
    }

    private static func date(
        _ field: String, _ raw: String, today: DateComponents, _ errors: inout [FieldError]
    ) -> DateComponents? {
        guard let value = required(field, raw, &errors) else { return nil }
        let parts = value.split(separator: "-").map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            (1900...2199).contains(year), (1...12).contains(month), (1...daysIn(month, year)).contains(day)
        else {
            errors.append(FieldError(field, .invalidDate))
            return nil
        }
        if let todayYear = today.year, let todayMonth = today.month, let todayDay = today.day,
            (year, month, day) > (todayYear, todayMonth, todayDay)
        {
            errors.append(FieldError(field, .dateInFuture))
            return nil
        }
        return DateComponents(year: year, month: month, day: day)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// What a new password must be (registration, reset, change): at least ten characters, within bcrypt's limit,
/// not among the most common passwords, not built from the person's own name, email, ID or phone, and typed
/// twice the same. The common list is data (`Resources/Security/common-passwords.txt`), given by the caller.
public struct PasswordPolicy: Sendable {
    public static let minimumLength = 10
    /// bcrypt reads at most 72 bytes: a longer password would be cut without the person knowing.
    public static let maximumBytes = 72
    /// A piece of personal data shorter than this is not looked for ("An" is in too many passwords by chance).
    static let shortestPersonalPiece = 4

    private let common: Set<String>

    /// `commonPasswords`, compared without regard to case.
    public init(commonPasswords: some Sequence<String>) {
        common = Set(commonPasswords.map { $0.lowercased() })
    }

    /// The password's problems, on the fields `password` and `passwordConfirmation`; the first that applies.
    public func problems(_ password: String, confirmation: String, personal: [String] = []) -> [FieldError] {
        if password.utf8.count > Self.maximumBytes * 8 {
            return [FieldError("password", .passwordTooLong(maxBytes: Self.maximumBytes))]
        }
        let normalized = TextInput.normalized(password)
        if TextInput.hasControlCharacters(normalized) {
            return [FieldError("password", .controlCharacters)]
        }
        if normalized.count < Self.minimumLength {
            return [FieldError("password", .passwordTooShort(min: Self.minimumLength))]
        }
        if normalized.utf8.count > Self.maximumBytes {
            return [FieldError("password", .passwordTooLong(maxBytes: Self.maximumBytes))]
        }
        if common.contains(normalized.lowercased()) {
            return [FieldError("password", .commonPassword)]
        }
        if Self.containsPersonalData(normalized, personal) {
            return [FieldError("password", .passwordContainsPersonalData)]
        }
        if confirmation.utf8.count > Self.maximumBytes * 8 || normalized != TextInput.normalized(confirmation) {
            return [FieldError("passwordConfirmation", .passwordsDiffer)]
        }
        return []
    }

    /// Whether the password, folded to letters and digits, holds a name (its words joined), an email or the part
    /// before its `@`, an ID or a phone number.
    static func containsPersonalData(_ password: String, _ personal: [String]) -> Bool {
        let folded = letters(password)
        var pieces: [String] = []
        for item in personal {
            pieces.append(letters(item))
            if let local = item.split(separator: "@").first, item.contains("@") { pieces.append(letters(String(local))) }
        }
        return pieces.contains { $0.count >= shortestPersonalPiece && folded.contains($0) }
    }

    private static func letters(_ text: String) -> String {
        String(VietnameseText.folded(text).unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) })
    }
}
