/// What is wrong with a form definition, at a path of the definition (`child.fields[2]`, as the editor shows it).
public struct DefinitionProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case noSections
        case tooManySections(max: Int)
        case tooManyFields(max: Int)
        /// A section or a group with no field.
        case noFields
        /// Not a lowercase letter then letters and digits, or longer than `FormLimits.longestKey`.
        case invalidKey(String)
        case duplicateKey(String)
        case emptyLabel
        case labelTooLong(max: Int)
        /// A label, help text or option value with a control character.
        case controlCharacters
        /// A property that the field's type does not read (`options` on a date).
        case propertyNotForType(property: String, type: FormField.FieldType)
        case missingOptions
        case tooManyOptions(max: Int)
        case duplicateOption(String)
        case emptyOptionValue
        /// A limit out of its bounds, or a minimum above its maximum.
        case invalidLimit(property: String)
        /// A group inside a group: entries of entries cannot be typed on a phone.
        case nestedGroup
        /// The condition names no field declared before this one in reach (a sibling, or `section.key`).
        case unknownConditionField(String)
        /// The condition's field is a group or an address, whose values are no single answer.
        case conditionOnCompound(String)
        /// A value the condition's field cannot take (not one of its options, or not yes/no).
        case conditionValueImpossible(String)
        /// The account data cannot fill a field of this type (a name into a date).
        case prefillMismatch(FormField.Prefill)
    }

    public var path: String
    public var reason: Reason

    public init(_ path: String, _ reason: Reason) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

extension FormDefinition {
    /// Every problem of the definition, in reading order; empty when it can be used.
    public var problems: [DefinitionProblem] {
        var check = DefinitionCheck()
        check.definition(self)
        return check.problems
    }
}

private struct DefinitionCheck {
    var problems: [DefinitionProblem] = []
    private var fieldCount = 0
    /// Top-level fields of the sections read so far, by `section.key`, for conditions across sections.
    private var declared: [String: FormField] = [:]

    mutating func definition(_ definition: FormDefinition) {
        label(definition.title, at: "title")
        if definition.sections.isEmpty { problems.append(.init("sections", .noSections)) }
        if definition.sections.count > FormLimits.mostSections {
            problems.append(.init("sections", .tooManySections(max: FormLimits.mostSections)))
        }
        var keys: Set<String> = []
        for (index, section) in definition.sections.prefix(FormLimits.mostSections).enumerated() {
            let path = section.key.isEmpty ? "sections[\(index)]" : section.key
            key(section.key, at: path, among: &keys)
            label(section.title, at: path + ".title")
            if let help = section.help { label(help, at: path + ".help", mayBeEmpty: true) }
            fields(section.fields, at: path, section: section.key, inGroup: false)
        }
        if fieldCount > FormLimits.mostFields {
            problems.append(.init("sections", .tooManyFields(max: FormLimits.mostFields)))
        }
    }

    private mutating func fields(_ fields: [FormField], at path: String, section: String, inGroup: Bool) {
        if fields.isEmpty { problems.append(.init(path, .noFields)) }
        var keys: Set<String> = []
        var siblings: [String: FormField] = [:]
        for field in fields {
            fieldCount += 1
            guard fieldCount <= FormLimits.mostFields else { return }
            let fieldPath = path + "." + field.key
            key(field.key, at: fieldPath, among: &keys)
            label(field.label, at: fieldPath + ".label")
            if let help = field.help { label(help, at: fieldPath + ".help", mayBeEmpty: true) }
            properties(field, at: fieldPath, inGroup: inGroup, section: section)
            if let condition = field.showWhen {
                self.condition(condition, at: fieldPath + ".showWhen", siblings: siblings)
            }
            siblings[field.key] = siblings[field.key] ?? field
            if !inGroup { declared[section + "." + field.key] = declared[section + "." + field.key] ?? field }
        }
    }

    private mutating func properties(_ field: FormField, at path: String, inGroup: Bool, section: String) {
        func only(_ property: String, _ present: Bool, for types: Set<FormField.FieldType>) {
            if present, !types.contains(field.type) {
                problems.append(.init(path, .propertyNotForType(property: property, type: field.type)))
            }
        }
        only("maxLength", field.maxLength != nil, for: [.text])
        only("multiline", field.multiline != nil, for: [.text])
        only("minimum", field.minimum != nil, for: [.number])
        only("maximum", field.maximum != nil, for: [.number])
        only("decimals", field.decimals != nil, for: [.number])
        only("unit", field.unit != nil, for: [.number])
        only("range", field.range != nil, for: [.date])
        only("options", field.options != nil, for: [.choice])
        only("multiple", field.multiple != nil, for: [.choice])
        only("fields", field.fields != nil, for: [.group])
        only("minItems", field.minItems != nil, for: [.group])
        only("maxItems", field.maxItems != nil, for: [.group])

        if let maxLength = field.maxLength, !(1...FormLimits.longestText).contains(maxLength) {
            problems.append(.init(path, .invalidLimit(property: "maxLength")))
        }
        if let decimals = field.decimals, !(0...FormLimits.mostDecimals).contains(decimals) {
            problems.append(.init(path, .invalidLimit(property: "decimals")))
        }
        if let minimum = field.minimum, let maximum = field.maximum, minimum > maximum {
            problems.append(.init(path, .invalidLimit(property: "minimum")))
        }
        if let unit = field.unit { label(unit, at: path + ".unit") }
        switch field.type {
        case .choice:
            let options = field.options ?? []
            if options.isEmpty { problems.append(.init(path, .missingOptions)) }
            if options.count > FormLimits.mostOptions {
                problems.append(.init(path, .tooManyOptions(max: FormLimits.mostOptions)))
            }
            var values: Set<String> = []
            for (index, option) in options.prefix(FormLimits.mostOptions).enumerated() {
                if option.value.isEmpty {
                    problems.append(.init(path + ".options[\(index)]", .emptyOptionValue))
                } else if TextInput.hasControlCharacters(option.value) {
                    problems.append(.init(path + ".options[\(index)]", .controlCharacters))
                } else if !values.insert(option.value).inserted {
                    problems.append(.init(path + ".options[\(index)]", .duplicateOption(option.value)))
                }
                label(option.label, at: path + ".options[\(index)].label")
            }
        case .group:
            if inGroup { problems.append(.init(path, .nestedGroup)) }
            let minimum = field.minItems ?? 0
            let maximum = field.maxItems ?? FormLimits.mostItems
            if !(0...FormLimits.mostItems).contains(minimum) {
                problems.append(.init(path, .invalidLimit(property: "minItems")))
            }
            if !(1...FormLimits.mostItems).contains(maximum) || minimum > maximum {
                problems.append(.init(path, .invalidLimit(property: "maxItems")))
            }
            if !inGroup { fields(field.fields ?? [], at: path, section: section, inGroup: true) }
        default:
            break
        }
        if let prefill = field.prefill, !Self.prefillFits(prefill, field) || inGroup {
            problems.append(.init(path, .prefillMismatch(prefill)))
        }
    }

    /// Which field types each piece of account data can fill.
    private static func prefillFits(_ prefill: FormField.Prefill, _ field: FormField) -> Bool {
        switch prefill {
        case .fullName: field.type == .text
        case .personalID: field.type == .personalID
        case .birthDate: field.type == .date
        case .phone: field.type == .phone
        case .email: field.type == .email
        case .sex:
            field.type == .choice && field.multiple != true
                && Set((field.options ?? []).map(\.value)).isSuperset(of: ["male", "female"])
        }
    }

    private mutating func condition(_ condition: FieldCondition, at path: String, siblings: [String: FormField]) {
        guard let target = siblings[condition.field] ?? declared[condition.field] else {
            problems.append(.init(path, .unknownConditionField(condition.field)))
            return
        }
        switch target.type {
        case .group, .address:
            problems.append(.init(path, .conditionOnCompound(condition.field)))
        case .choice:
            let values = Set((target.options ?? []).map(\.value))
            for value in condition.equals ?? [] where !values.contains(value) {
                problems.append(.init(path, .conditionValueImpossible(value)))
            }
        case .yesNo:
            for value in condition.equals ?? [] where value != "yes" && value != "no" {
                problems.append(.init(path, .conditionValueImpossible(value)))
            }
        default:
            break
        }
    }

    private mutating func key(_ key: String, at path: String, among keys: inout Set<String>) {
        guard let first = key.first, first.isASCII, first.isLowercase, key.count <= FormLimits.longestKey,
            key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
        else {
            problems.append(.init(path, .invalidKey(key)))
            return
        }
        if !keys.insert(key).inserted { problems.append(.init(path, .duplicateKey(key))) }
    }

    private mutating func label(_ text: LocalizedText, at path: String, mayBeEmpty: Bool = false) {
        for piece in [text.vi, text.en ?? "x"] {
            if !mayBeEmpty, piece.allSatisfy(\.isWhitespace) {
                problems.append(.init(path, .emptyLabel))
                return
            }
            // Help texts may run to a paragraph or two.
            let longest = FormLimits.longestLabel * (mayBeEmpty ? 4 : 1)
            if piece.count > longest {
                problems.append(.init(path, .labelTooLong(max: longest)))
                return
            }
            if TextInput.hasControlCharacters(piece, multiline: mayBeEmpty) {
                problems.append(.init(path, .controlCharacters))
                return
            }
        }
    }
}
