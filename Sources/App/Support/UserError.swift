import Domain
import Vapor

/// An error a user can act on. This is the one place that maps errors to HTTP statuses and to messages, which
/// come from the localization files (`error.*` keys) in Vietnamese and English.
struct UserError: Error, Equatable {
    enum Kind: Equatable {
        /// A query parameter or form field is malformed or out of range.
        case invalidParameter(name: String, problem: ParameterProblem)
        /// No procedure with this code.
        case procedureNotFound(code: String)
        /// No agency with this code.
        case agencyNotFound(code: String)
        /// No page at this address.
        case pageNotFound
        /// No record of this kind with this id, or none the caller may know of.
        case recordNotFound
        /// The access policy said no, and why.
        case denied(DenialReason)
        /// A submitted form or JSON body has problems; the first field is named as the parameter.
        case invalidFields(FormErrors)
        /// Too many requests at once for the database: try again in a moment.
        case busy
        /// The address exists, but not for this method; `allowed` are the methods it answers.
        case methodNotAllowed(allowed: [String])
        /// A form came without its anti-forgery token, or with a stale one: nothing was done.
        case formExpired
    }

    enum ParameterProblem: Equatable {
        case notAWholeNumber
        case outOfRange(min: Int, max: Int)
        case tooLong(max: Int)
        case notOneOf([String])
        /// Not an ISO 8601 date and time with its offset.
        case notAnInstant
        /// No agency has this code.
        case noSuchAgency
        /// Not a comma-separated list of `START/END` instants, each end after its start.
        case notIntervals(max: Int)
        /// Holds a control character (a NUL, a line break).
        case controlCharacters
    }

    var kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    var status: HTTPResponseStatus {
        switch kind {
        case .invalidParameter: .badRequest
        case .busy: .serviceUnavailable
        case .methodNotAllowed: .methodNotAllowed
        case .formExpired: .forbidden
        case .procedureNotFound, .agencyNotFound, .pageNotFound, .recordNotFound: .notFound
        case .denied(.signInRequired): .unauthorized
        case .denied: .forbidden
        case .invalidFields(let errors):
            // A choice the person may not make (a unit outside theirs, a role they cannot give) is a refusal.
            if errors.fields.contains(where: { $0.problem == .notPermitted }) {
                .forbidden
            } else if errors.fields.contains(where: { $0.problem == .alreadyRegistered || $0.problem == .identityTaken }) {
                .conflict
            } else {
                .badRequest
            }
        }
    }

    /// A stable machine-readable code for API clients.
    var code: String {
        switch kind {
        case .invalidParameter: "invalid_parameter"
        case .procedureNotFound: "procedure_not_found"
        case .agencyNotFound: "agency_not_found"
        case .pageNotFound, .recordNotFound: "not_found"
        case .denied(let reason): "forbidden_" + reason.code
        case .invalidFields: "invalid_fields"
        case .busy: "busy"
        case .methodNotAllowed: "method_not_allowed"
        case .formExpired: "form_expired"
        }
    }

    /// The parameter or field the error concerns, if any.
    var parameter: String? {
        if case .invalidParameter(let name, _) = kind { return name }
        if case .invalidFields(let errors) = kind { return errors.fields.first?.field }
        return nil
    }

    func message(_ localization: Localization, _ language: Language) -> String {
        switch kind {
        case .invalidParameter(let name, let problem):
            let detail: String
            switch problem {
            case .notAWholeNumber:
                detail = localization.string("error_detail_not_a_whole_number", language)
            case .outOfRange(let min, let max):
                detail = localization.string("error_detail_out_of_range", language, ["min": "\(min)", "max": "\(max)"])
            case .tooLong(let max):
                detail = localization.string("error_detail_too_long", language, ["max": "\(max)"])
            case .notOneOf(let allowed):
                detail = localization.string("error_detail_not_one_of", language, ["allowed": allowed.joined(separator: ", ")])
            case .notAnInstant:
                detail = localization.string("error_detail_not_an_instant", language)
            case .noSuchAgency:
                detail = localization.string("error_detail_no_such_agency", language)
            case .notIntervals(let max):
                detail = localization.string("error_detail_not_intervals", language, ["max": "\(max)"])
            case .controlCharacters:
                detail = localization.string("error_detail_control_characters", language)
            }
            return localization.string("error_invalid_parameter", language, ["parameter": name, "detail": detail])
        case .procedureNotFound(let code):
            return localization.string("error_procedure_not_found", language, ["code": code])
        case .agencyNotFound(let code):
            return localization.string("error_agency_not_found", language, ["code": code])
        case .pageNotFound, .recordNotFound:
            return localization.string("error_not_found", language)
        case .busy:
            return localization.string("error_busy", language)
        case .formExpired:
            return localization.string("form_expired_page", language)
        case .methodNotAllowed(let allowed):
            return localization.string("error_method_not_allowed", language, ["allowed": allowed.joined(separator: ", ")])
        case .denied(let reason):
            return localization.string("error_denied_" + reason.code, language)
        case .invalidFields(let errors):
            return errors.fields.map { error in
                error.field + ": "
                    + FieldErrorText.message(error.problem, localization, language)
            }.joined(separator: " ")
        }
    }
}

/// Sentences for form field problems, in the reader's language (`field_error_*` keys).
enum FieldErrorText {
    static func message(_ problem: FieldError.Problem, _ localization: Localization, _ language: Language) -> String {
        func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
            localization.string("field_error_" + key, language, arguments)
        }
        func grouped(_ value: Int) -> String { Formatting(localization: localization, language: language).grouped(value) }
        switch problem {
        case .required: return text("required")
        case .tooLong(let max): return text("too_long", ["max": "\(max)"])
        case .invalidDate: return text("invalid_date")
        case .dateInFuture: return text("date_in_future")
        case .invalidEmail: return text("invalid_email")
        case .invalidPhone: return text("invalid_phone")
        case .personalID(.notTwelveDigits): return text("id_not_twelve_digits")
        case .personalID(.unknownProvince(let code)): return text("id_unknown_province", ["code": code])
        case .personalID(.birthYearMismatch(let expected, let encoded)):
            return text("id_birth_year_mismatch", ["expected": "\(expected)", "encoded": "\(encoded)"])
        case .taxCode(.malformed): return text("tax_code_malformed")
        case .taxCode(.wrongCheckDigit): return text("tax_code_check_digit")
        case .taxCode(.invalidBranch): return text("tax_code_branch")
        case .passwordTooShort(let min): return text("password_too_short", ["min": "\(min)"])
        case .passwordTooLong(let max): return text("password_too_long", ["max": "\(max)"])
        case .passwordsDiffer: return text("passwords_differ")
        case .alreadyRegistered: return text("already_registered")
        case .identityTaken: return text("identity_taken")
        case .controlCharacters: return text("control_characters")
        case .commonPassword: return text("common_password")
        case .passwordContainsPersonalData: return text("password_personal_data")
        case .tooManyAttempts(let until): return text("too_many_attempts", ["time": until])
        case .wrongPassword: return text("wrong_password")
        case .unknownAgency(let code): return text("unknown_agency", ["code": code])
        case .notOneOf(let allowed): return text("not_one_of", ["allowed": allowed.joined(separator: ", ")])
        case .notPermitted: return text("not_permitted")
        case .notANumber(let decimals):
            return decimals == 0 ? text("not_a_whole_number") : text("not_a_number", ["decimals": "\(decimals)"])
        case .numberOutOfRange(let minimum?, let maximum?):
            return text("number_between", ["min": grouped(minimum), "max": grouped(maximum)])
        case .numberOutOfRange(let minimum?, nil): return text("number_at_least", ["min": grouped(minimum)])
        case .numberOutOfRange(nil, let maximum?): return text("number_at_most", ["max": grouped(maximum)])
        case .numberOutOfRange(nil, nil): return text("not_a_number", ["decimals": "0"])
        case .dateInPast: return text("date_in_past")
        case .tooFewEntries(let min): return text("too_few_entries", ["min": "\(min)"])
        case .tooManyEntries(let max): return text("too_many_entries", ["max": "\(max)"])
        case .unknownUnit(let code): return text("unknown_unit", ["code": code])
        case .communeNotInProvince: return text("commune_not_in_province")
        case .malformed: return text("malformed")
        }
    }
}

extension DenialReason {
    /// snake_case, for error codes and localization keys.
    var code: String {
        switch self {
        case .signInRequired: "sign_in_required"
        case .notTheOwner: "not_the_owner"
        case .outsideTheActorsAgencies: "outside_agencies"
        case .roleDoesNotAllow: "role_does_not_allow"
        case .auditorsOnlyRead: "auditors_only_read"
        case .neverAllowed: "never_allowed"
        }
    }
}
