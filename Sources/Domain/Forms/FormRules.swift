import Foundation

/// What a form is read against besides its definition.
public struct FormContext: Sendable {
    /// The day in Vietnam when the form is read, for date ranges.
    public var today: CivilDate
    public var units: AdministrativeUnits

    public init(today: CivilDate, units: AdministrativeUnits) {
        self.today = today
        self.units = units
    }
}

/// A form read against its definition: the values as they are stored, and every problem found.
public struct FormReading: Sendable, Equatable {
    /// One record per section: canonical texts (`yyyy-MM-dd`, `0912345678`, `yes`), addresses as unit codes and a
    /// street, group entries as lists. Hidden, blank and unknown fields are left out.
    public var value: FormValue
    /// In the order of the form, each with the path of its field.
    public var errors: [FieldError]

    public var isValid: Bool { errors.isEmpty }
}

public enum FormRules {
    /// Reads `input` (sections by key, as `FormValue(flat:)` or API JSON give them) against `definition`, reporting
    /// every problem at once, each at its field's path.
    public static func read(_ input: FormValue, against definition: FormDefinition, in context: FormContext) -> FormReading {
        var reader = FormReader(context: context)
        var sections: [String: FormValue] = [:]
        for section in definition.sections {
            let fields = reader.fields(section.fields, input: input[section.key], at: section.key, section: section.key)
            if !fields.isEmpty { sections[section.key] = .record(fields) }
        }
        return FormReading(value: .record(sections), errors: reader.errors)
    }

    /// The stored values of a valid form, or every problem.
    public static func validate(
        _ input: FormValue, against definition: FormDefinition, in context: FormContext
    ) throws(FormErrors) -> FormValue {
        let reading = read(input, against: definition, in: context)
        guard reading.isValid else { throw FormErrors(reading.errors) }
        return reading.value
    }

    /// Day, month and year of a date field's value, stored (`yyyy-MM-dd`) or as typed, for the three boxes.
    public static func dateParts(_ value: FormValue?) -> (day: String, month: String, year: String) {
        switch value {
        case .record(let parts)?:
            return (parts["day"]?.text ?? "", parts["month"]?.text ?? "", parts["year"]?.text ?? "")
        case .text(let text)?:
            if let date = FormReader.parseDate(text) {
                let (year, month, day) = date.components
                return (String(format: "%02d", day), String(format: "%02d", month), String(year))
            }
            return ("", "", text)
        default:
            return ("", "", "")
        }
    }
}

/// A value as stored, or what is wrong with it.
enum Checked {
    case success(String)
    case failure(FieldError.Problem)
}

/// One pass over a form, collecting problems.
struct FormReader {
    let context: FormContext
    var errors: [FieldError] = []
    /// Stored values of the top-level fields read so far, by `section.key`, for conditions across sections.
    private var resolved: [String: FormValue] = [:]

    init(context: FormContext) {
        self.context = context
    }

    /// The fields of a section or of one group entry. `section` is set for a section's own fields (which later
    /// sections may name in conditions), nil inside a group entry.
    mutating func fields(_ fields: [FormField], input: FormValue?, at path: String, section: String?) -> [String: FormValue] {
        var values: [String: FormValue] = [:]
        let typed: [String: FormValue]
        switch input {
        case .record(let record)?: typed = record
        case nil: typed = [:]
        default:
            errors.append(FieldError(path, .malformed))
            typed = [:]
        }
        for field in fields {
            guard shown(field, siblings: values) else { continue }
            let fieldPath = FormPath.joined(path, field.key)
            if let value = self.field(field, input: typed[field.key], at: fieldPath) {
                values[field.key] = value
                if let section { resolved[section + "." + field.key] = value }
            }
        }
        return values
    }

    /// Whether the field's condition holds on the values read before it.
    private func shown(_ field: FormField, siblings: [String: FormValue]) -> Bool {
        guard let condition = field.showWhen else { return true }
        guard let value = siblings[condition.field] ?? resolved[condition.field] else { return false }
        guard let equals = condition.equals else { return !value.isBlank }
        switch value {
        case .text(let text): return equals.contains(text)
        case .list(let items): return items.contains { $0.text.map(equals.contains) ?? false }
        case .record: return false
        }
    }

    /// The stored value of one field, nil when it is blank (or wrong: the problem is recorded).
    private mutating func field(_ field: FormField, input: FormValue?, at path: String) -> FormValue? {
        switch field.type {
        case .group: return group(field, input: input, at: path)
        case .address: return address(field, input: input, at: path)
        case .date: return date(field, input: input, at: path)
        case .choice where field.multiple == true: return choices(field, input: input, at: path)
        default: break
        }
        let raw: String
        switch input {
        case .text(let text)?: raw = text
        case nil: raw = ""
        default:
            errors.append(FieldError(path, .malformed))
            return nil
        }
        let multiline = field.type == .text && field.multiline == true
        let (text, problem) = TextInput.field(raw, maxLength: field.type == .text ? field.textLimit : 200, multiline: multiline)
        if let problem {
            errors.append(FieldError(path, problem))
            return nil
        }
        if text.isEmpty {
            if field.required { errors.append(FieldError(path, .required)) }
            return nil
        }
        let stored: Checked =
            switch field.type {
            case .text: .success(text)
            case .number: Self.number(text, field)
            case .choice: Self.choice(text, field)
            case .yesNo: Self.yesNo(text)
            case .personalID: Self.personalID(text)
            case .taxCode: Self.taxCode(text)
            case .phone: RegistrationRules.normalizedPhone(text).map { .success($0) } ?? .failure(.invalidPhone)
            case .email: RegistrationRules.isEmail(text) ? .success(text.lowercased()) : .failure(.invalidEmail)
            case .date, .address, .group: .failure(.malformed)  // read above
            }
        switch stored {
        case .success(let value): return .text(value)
        case .failure(let problem):
            errors.append(FieldError(path, problem))
            return nil
        }
    }

    // MARK: - one kind each

    /// Whole numbers may be grouped by spaces or dots (`1.500.000`); decimals take a comma or a dot before at most
    /// `decimals` digits. Stored plain: `1500000`, `12.5`.
    static func number(_ text: String, _ field: FormField) -> Checked {
        let decimals = field.decimals ?? 0
        var body = Substring(text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" })
        let negative = body.first == "-"
        if negative { body = body.dropFirst() }
        var whole = body
        var fraction: Substring = ""
        if decimals > 0, let comma = body.lastIndex(where: { $0 == "," || $0 == "." }),
            body.distance(from: comma, to: body.endIndex) - 1 <= decimals,
            // `1.500` with decimals allowed is one and a half when it stands alone, but a dot followed by three
            // digits is only a decimal point when no other dot groups the number.
            !(body[comma] == "." && body[..<comma].contains("."))
        {
            whole = body[..<comma]
            fraction = body[body.index(after: comma)...]
        }
        let grouped = whole.split(separator: ".", omittingEmptySubsequences: false)
        let groupedWell = grouped.count == 1
            || (grouped.first.map { (1...3).contains($0.count) } ?? false && grouped.dropFirst().allSatisfy { $0.count == 3 })
        let digits = grouped.joined()
        guard groupedWell, !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            fraction.allSatisfy({ $0.isASCII && $0.isNumber }), fraction.count <= decimals,
            let magnitude = Decimal(string: digits + (fraction.isEmpty ? "" : "." + fraction), locale: Locale(identifier: "en_US_POSIX"))
        else { return .failure(.notANumber(decimals: decimals)) }
        let value = negative ? -magnitude : magnitude
        if let minimum = field.minimum, value < Decimal(minimum) {
            return .failure(.numberOutOfRange(minimum: field.minimum, maximum: field.maximum))
        }
        if let maximum = field.maximum, value > Decimal(maximum) {
            return .failure(.numberOutOfRange(minimum: field.minimum, maximum: field.maximum))
        }
        let trimmedFraction = fraction.reversed().drop { $0 == "0" }.reversed()
        let wholeDigits = digits.drop { $0 == "0" }
        let plain = (wholeDigits.isEmpty ? "0" : String(wholeDigits)) + (trimmedFraction.isEmpty ? "" : "." + String(trimmedFraction))
        return .success(negative && plain != "0" ? "-" + plain : plain)
    }

    private static func personalID(_ text: String) -> Checked {
        do throws(CitizenID.Problem) {
            return .success(try CitizenID(text).value)
        } catch {
            return .failure(.personalID(error))
        }
    }

    private static func taxCode(_ text: String) -> Checked {
        do throws(TaxCode.Problem) {
            return .success(try TaxCode(text).value)
        } catch {
            return .failure(.taxCode(error))
        }
    }

    private static func choice(_ text: String, _ field: FormField) -> Checked {
        let values = (field.options ?? []).map(\.value)
        return values.contains(text) ? .success(text) : .failure(.notOneOf(values))
    }

    private static func yesNo(_ text: String) -> Checked {
        switch VietnameseText.folded(text) {
        case "yes", "true", "1", "co": .success("yes")
        case "no", "false", "0", "khong": .success("no")
        default: .failure(.notOneOf(["yes", "no"]))
        }
    }

    private mutating func choices(_ field: FormField, input: FormValue?, at path: String) -> FormValue? {
        let picked: [FormValue]
        switch input {
        case .list(let items)?: picked = items
        case .text(let text)? where !text.isEmpty: picked = [.text(text)]
        case nil, .text?: picked = []
        case .record?:
            errors.append(FieldError(path, .malformed))
            return nil
        }
        let options = (field.options ?? []).map(\.value)
        var chosen: Set<String> = []
        for item in picked {
            guard let text = item.text else {
                errors.append(FieldError(path, .malformed))
                return nil
            }
            guard options.contains(text) else {
                errors.append(FieldError(path, .notOneOf(options)))
                return nil
            }
            chosen.insert(text)
        }
        if chosen.isEmpty {
            if field.required { errors.append(FieldError(path, .required)) }
            return nil
        }
        return .list(options.filter(chosen.contains).map(FormValue.text))
    }

    /// Three boxes (`day`, `month`, `year`), or one text `dd/mm/yyyy` or `yyyy-mm-dd`.
    private mutating func date(_ field: FormField, input: FormValue?, at path: String) -> FormValue? {
        let typed: String
        switch input {
        case .record(let parts)?:
            let pieces = ["day", "month", "year"].map { key -> String? in
                guard let part = parts[key] else { return "" }
                return part.text?.trimmingCharacters(in: .whitespaces)
            }
            guard let day = pieces[0], let month = pieces[1], let year = pieces[2] else {
                errors.append(FieldError(path, .malformed))
                return nil
            }
            typed = day.isEmpty && month.isEmpty && year.isEmpty ? "" : "\(day)/\(month)/\(year)"
        case .text(let text)?: typed = text.trimmingCharacters(in: .whitespaces)
        case nil: typed = ""
        case .list?:
            errors.append(FieldError(path, .malformed))
            return nil
        }
        if typed.isEmpty {
            if field.required { errors.append(FieldError(path, .required)) }
            return nil
        }
        guard let date = Self.parseDate(typed) else {
            errors.append(FieldError(path, .invalidDate))
            return nil
        }
        switch field.range {
        case .past? where date > context.today:
            errors.append(FieldError(path, .dateInFuture))
            return nil
        case .future? where date < context.today:
            errors.append(FieldError(path, .dateInPast))
            return nil
        default:
            return .text(date.description)
        }
    }

    /// `d/m/yyyy` (slashes, dots or dashes) or `yyyy-mm-dd`, years 1800 to 2199.
    static func parseDate(_ text: String) -> CivilDate? {
        guard text.utf8.count <= 20 else { return nil }
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { "/.-".contains($0) })
        guard parts.count == 3, parts.allSatisfy({ (1...4).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else { return nil }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let (year, month, day) = parts[0].count == 4 ? (numbers[0], numbers[1], numbers[2]) : (numbers[2], numbers[1], numbers[0])
        guard (1800...2199).contains(year) else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// `province` and `commune` codes of the 2025 units, and `street` (house number, street, hamlet).
    private mutating func address(_ field: FormField, input: FormValue?, at path: String) -> FormValue? {
        let parts: [String: FormValue]
        switch input {
        case .record(let record)?: parts = record
        case nil: parts = [:]
        default:
            errors.append(FieldError(path, .malformed))
            return nil
        }
        var texts: [String: String] = [:]
        for key in ["province", "commune", "street"] {
            let partPath = path + "." + key
            guard let part = parts[key] else {
                texts[key] = ""
                continue
            }
            guard let raw = part.text else {
                errors.append(FieldError(partPath, .malformed))
                return nil
            }
            let (text, problem) = TextInput.field(raw, maxLength: FormLimits.longestStreet)
            if let problem {
                errors.append(FieldError(partPath, problem))
                return nil
            }
            texts[key] = text
        }
        let province = texts["province"] ?? "", commune = texts["commune"] ?? "", street = texts["street"] ?? ""
        if province.isEmpty, commune.isEmpty, street.isEmpty {
            if field.required {
                errors.append(FieldError(path + ".province", .required))
                errors.append(FieldError(path + ".commune", .required))
                errors.append(FieldError(path + ".street", .required))
            }
            return nil
        }
        let before = errors.count
        if province.isEmpty {
            errors.append(FieldError(path + ".province", .required))
        } else if context.units.unit(province)?.provinceCode != nil || context.units.unit(province) == nil {
            errors.append(FieldError(path + ".province", .unknownUnit(code: province)))
        }
        if commune.isEmpty {
            errors.append(FieldError(path + ".commune", .required))
        } else if let unit = context.units.unit(commune), let parent = unit.provinceCode {
            if parent != province, errors.count == before { errors.append(FieldError(path + ".commune", .communeNotInProvince)) }
        } else {
            errors.append(FieldError(path + ".commune", .unknownUnit(code: commune)))
        }
        if street.isEmpty, field.required { errors.append(FieldError(path + ".street", .required)) }
        guard errors.count == before else { return nil }
        return .record(["province": .text(province), "commune": .text(commune), "street": .text(street)])
    }

    /// The entries of a repeatable group; blank entries (the spare row of a web form) are not counted.
    private mutating func group(_ field: FormField, input: FormValue?, at path: String) -> FormValue? {
        let entries: [FormValue]
        switch input {
        case .list(let items)?: entries = items
        case nil: entries = []
        default:
            errors.append(FieldError(path, .malformed))
            return nil
        }
        // Paths keep the entry's position in what was sent, which is where the page shows it.
        let filled = entries.enumerated().filter { !$0.element.isBlank }
        let maximum = field.maxItems ?? FormLimits.mostItems
        let minimum = max(field.minItems ?? 0, field.required ? 1 : 0)
        if filled.count > maximum {
            errors.append(FieldError(path, .tooManyEntries(max: maximum)))
            return nil
        }
        if filled.count < minimum {
            errors.append(FieldError(path, filled.isEmpty && minimum == 1 ? .required : .tooFewEntries(min: minimum)))
        }
        var stored: [FormValue] = []
        for (index, entry) in filled {
            let values = fields(field.fields ?? [], input: entry, at: FormPath.indexed(path, index), section: nil)
            stored.append(.record(values))
        }
        return stored.isEmpty ? nil : .list(stored)
    }
}
