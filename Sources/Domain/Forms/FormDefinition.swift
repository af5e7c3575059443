import Foundation

/// An electronic declaration form (tờ khai điện tử) of a procedure, as data: sections of fields, each field typed,
/// labelled in Vietnamese and English, required or not, and shown only under a condition when it has one.
///
/// Values are addressed by paths: `section.field`, `section.group[2].field`, and the parts of an address
/// (`section.field.commune`). One `FormRules.validate` reads a filled form against it for the web page and the API.
/// A definition an agency admin wrote is checked with `problems` before it is used.
public struct FormDefinition: Sendable, Codable, Equatable {
    /// The form's own title, e.g. "Tờ khai đăng ký khai sinh".
    public var title: LocalizedText
    /// Where the form comes from (the circular and annex it follows), shown under the title.
    public var source: String?
    public var sections: [FormSection]

    public init(title: LocalizedText, source: String? = nil, sections: [FormSection]) {
        self.title = title
        self.source = source
        self.sections = sections
    }
}

/// A text in Vietnamese, with its English translation when there is one.
public struct LocalizedText: Sendable, Codable, Equatable, Hashable {
    public var vi: String
    public var en: String?

    public init(vi: String, en: String? = nil) {
        self.vi = vi
        self.en = en
    }

    public init(_ vi: String, _ en: String) {
        self.vi = vi
        self.en = en
    }

    /// The English text when asked for and present, else the Vietnamese.
    public func text(english: Bool) -> String { english ? (en ?? vi) : vi }
}

/// A part of the form with a heading ("Người được khai sinh"); its key is the first segment of its fields' paths.
public struct FormSection: Sendable, Codable, Equatable {
    public var key: String
    public var title: LocalizedText
    public var help: LocalizedText?
    public var fields: [FormField]

    public init(key: String, title: LocalizedText, help: LocalizedText? = nil, fields: [FormField]) {
        self.key = key
        self.title = title
        self.help = help
        self.fields = fields
    }
}

/// One question of the form. Which of the optional properties apply depends on `type` (`FormDefinition.problems`
/// refuses a property on a type it does not apply to, so that a definition means what it says).
public struct FormField: Sendable, Codable, Equatable {
    public enum FieldType: String, Sendable, Codable, CaseIterable {
        case text
        case number
        /// Typed as day, month and year in three boxes; stored `yyyy-MM-dd`.
        case date
        /// One of `options` (or several, with `multiple`).
        case choice
        /// Stored `yes` or `no`.
        case yesNo
        /// A 12-digit personal identification number; stored without spaces.
        case personalID
        /// A tax code (mã số thuế), 10 digits with the check digit, or 13 with a branch.
        case taxCode
        /// A Vietnamese mobile number; stored `0` and nine digits.
        case phone
        case email
        /// Province, commune or ward of the 2025 units, and the house number and street.
        case address
        /// A repeatable set of fields (household members, capital contributors): a list of entries.
        case group
    }

    /// When a date may lie, relative to the day the form is filled.
    public enum DateRange: String, Sendable, Codable {
        /// Today or before (a birth date).
        case past
        /// Today or after (an appointment).
        case future
    }

    /// Account data a field is filled from, so the applicant is not asked again.
    public enum Prefill: String, Sendable, Codable, CaseIterable {
        case fullName
        case personalID
        case birthDate
        /// From the personal ID, whose fourth digit tells it.
        case sex
        case phone
        case email
    }

    // identity
    /// Letters and digits, starting with a lowercase letter; unique among its siblings.
    public var key: String
    public var type: FieldType
    public var label: LocalizedText
    public var help: LocalizedText?

    // rules
    public var required: Bool
    /// The field is shown (and read) only when this holds; hidden fields are neither required nor kept.
    public var showWhen: FieldCondition?
    public var prefill: Prefill?

    // text
    /// Characters; text fields default to 200 (2,000 when `multiline`).
    public var maxLength: Int?
    public var multiline: Bool?

    // number
    public var minimum: Int?
    public var maximum: Int?
    /// Digits allowed after the decimal comma; 0 (whole numbers) by default.
    public var decimals: Int?
    /// Shown after the box: "đồng", "m²".
    public var unit: LocalizedText?

    // date
    public var range: DateRange?

    // choice
    public var options: [ChoiceOption]?
    public var multiple: Bool?

    // group
    public var fields: [FormField]?
    public var minItems: Int?
    public var maxItems: Int?

    public init(
        key: String, type: FieldType, label: LocalizedText, help: LocalizedText? = nil, required: Bool = false,
        showWhen: FieldCondition? = nil, prefill: Prefill? = nil, maxLength: Int? = nil, multiline: Bool? = nil,
        minimum: Int? = nil, maximum: Int? = nil, decimals: Int? = nil, unit: LocalizedText? = nil,
        range: DateRange? = nil, options: [ChoiceOption]? = nil, multiple: Bool? = nil, fields: [FormField]? = nil,
        minItems: Int? = nil, maxItems: Int? = nil
    ) {
        self.key = key
        self.type = type
        self.label = label
        self.help = help
        self.required = required
        self.showWhen = showWhen
        self.prefill = prefill
        self.maxLength = maxLength
        self.multiline = multiline
        self.minimum = minimum
        self.maximum = maximum
        self.decimals = decimals
        self.unit = unit
        self.range = range
        self.options = options
        self.multiple = multiple
        self.fields = fields
        self.minItems = minItems
        self.maxItems = maxItems
    }

    enum CodingKeys: String, CodingKey {
        case key, type, label, help, required, showWhen, prefill, maxLength, multiline, minimum, maximum, decimals
        case unit, range, options, multiple, fields, minItems, maxItems
    }

    /// `required` may be left out (false); everything else optional is absent when not written.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        key = try container.decode(String.self, forKey: .key)
        type = try container.decode(FieldType.self, forKey: .type)
        label = try container.decode(LocalizedText.self, forKey: .label)
        help = try container.decodeIfPresent(LocalizedText.self, forKey: .help)
        required = try container.decodeIfPresent(Bool.self, forKey: .required) ?? false
        showWhen = try container.decodeIfPresent(FieldCondition.self, forKey: .showWhen)
        prefill = try container.decodeIfPresent(Prefill.self, forKey: .prefill)
        maxLength = try container.decodeIfPresent(Int.self, forKey: .maxLength)
        multiline = try container.decodeIfPresent(Bool.self, forKey: .multiline)
        minimum = try container.decodeIfPresent(Int.self, forKey: .minimum)
        maximum = try container.decodeIfPresent(Int.self, forKey: .maximum)
        decimals = try container.decodeIfPresent(Int.self, forKey: .decimals)
        unit = try container.decodeIfPresent(LocalizedText.self, forKey: .unit)
        range = try container.decodeIfPresent(DateRange.self, forKey: .range)
        options = try container.decodeIfPresent([ChoiceOption].self, forKey: .options)
        multiple = try container.decodeIfPresent(Bool.self, forKey: .multiple)
        fields = try container.decodeIfPresent([FormField].self, forKey: .fields)
        minItems = try container.decodeIfPresent(Int.self, forKey: .minItems)
        maxItems = try container.decodeIfPresent(Int.self, forKey: .maxItems)
    }

    /// The longest text the field takes.
    public var textLimit: Int {
        maxLength ?? ((multiline ?? false) ? FormLimits.defaultMultilineLength : FormLimits.defaultTextLength)
    }
}

/// One answer of a choice field: the stored value and what the applicant reads.
public struct ChoiceOption: Sendable, Codable, Equatable {
    public var value: String
    public var label: LocalizedText

    public init(value: String, label: LocalizedText) {
        self.value = value
        self.label = label
    }
}

/// "Show this field when `field` has a value" (one of `equals`, when given). `field` names a field declared earlier:
/// a sibling (in the same section, or the same group entry), or `section.key` in another section.
public struct FieldCondition: Sendable, Codable, Equatable {
    public var field: String
    public var equals: [String]?

    public init(field: String, equals: [String]? = nil) {
        self.field = field
        self.equals = equals
    }
}

/// The bounds a definition must keep, so that no definition makes a form that cannot be filled or served.
public enum FormLimits {
    public static let defaultTextLength = 200
    public static let defaultMultilineLength = 2_000
    public static let longestText = 10_000
    public static let mostFields = 400
    public static let mostSections = 40
    public static let mostOptions = 300
    public static let mostItems = 100
    public static let longestKey = 40
    public static let longestLabel = 500
    public static let mostDecimals = 4
    /// Names a posted form is read for: every field of the largest form, its three date boxes and its entries.
    public static let mostPostedNames = 5_000
    /// House number and street of an address.
    public static let longestStreet = 200
}
