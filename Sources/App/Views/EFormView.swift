import Domain
import Foundation
import Vapor

/// An e-form as a page shows it: each section's fields as rows (`eform.leaf`), with what was typed, the problems
/// beside their fields, and pickers for addresses. A repeatable group is a run of rows between `groupStart` and
/// `groupEnd`, each entry between `entryStart` and `entryEnd`: groups hold no groups, so one loop renders it all.
struct EFormView: Encodable {
    var title: String
    var source: String?
    var sections: [Section]

    struct Section: Encodable {
        var key: String
        var title: String
        var help: String?
        var rows: [Row]
    }

    struct Row: Encodable {
        enum Kind: String, Encodable {
            case field, groupStart, entryStart, entryEnd, groupEnd
        }

        /// How the field is typed: `text`, `textarea`, `number`, `date`, `select`, `radio`, `checkboxes`, `address`.
        enum Control: String, Encodable {
            case text, textarea, number, date, select, radio, checkboxes, address
        }

        var kind: Kind
        var control: Control?
        /// The posted name: the field's path.
        var name: String
        var id: String
        var label: String
        var help: String?
        var required: Bool
        var value: String = ""
        var error: String?
        var unit: String?
        var maxLength: Int?
        var inputMode: String?
        var autocomplete: String?
        var options: [Choice] = []
        // date
        var day: String = ""
        var month: String = ""
        var year: String = ""
        // address
        var provinces: [Option] = []
        var communes: [Option] = []
        var street: String = ""
        var provinceError: String?
        var communeError: String?
        var streetError: String?
        /// "Only when …": what a reader without JavaScript needs to know about a conditional field.
        var condition: String?
        /// For the script that hides a conditional field: the controlling field's name and the values that show it.
        var showField: String?
        var showValues: String?
        /// Filled from the account.
        var prefilled: Bool = false
    }

    /// An answer of a radio, checkbox or select field, with the name and id its input takes.
    struct Choice: Encodable {
        var value: String
        var label: String
        var selected: Bool
        var name: String
        var id: String
    }

    /// The id a field's input has on the page: its path with `-` for dots and brackets (`f-child-birthDate`).
    static func id(_ path: String) -> String {
        "f-" + path.replacingOccurrences(of: "].", with: "-").replacingOccurrences(of: "[", with: "-")
            .replacingOccurrences(of: "]", with: "").replacingOccurrences(of: ".", with: "-")
    }
}

/// Builds an `EFormView` in the reader's language.
struct EFormRenderer {
    let english: Bool
    let units: AdministrativeUnits
    let message: (FieldError.Problem) -> String
    let yes: String
    let no: String
    let choose: String
    let onlyWhen: (_ field: String, _ values: String) -> String

    init(request: Request) {
        let localization = request.application.localization
        let language = request.language
        english = language == .en
        units = request.application.administrativeUnits
        message = { FieldErrorText.message($0, localization, language) }
        yes = localization.string("answer_yes", language)
        no = localization.string("answer_no", language)
        choose = localization.string("choose_option", language)
        onlyWhen = { localization.string("eform_only_when", language, ["field": $0, "values": $1]) }
    }

    /// The form with `values` shown (what was typed, or the account's data), `errors` beside their fields, and
    /// `prefilled` paths marked.
    func view(
        _ definition: FormDefinition, values: FormValue, errors: [FieldError], prefilled: Set<String> = []
    ) -> EFormView {
        var messages: [String: String] = [:]
        for error in errors where messages[error.field] == nil { messages[error.field] = message(error.problem) }
        var labels: [String: FormField] = [:]
        return EFormView(
            title: definition.title.text(english: english), source: definition.source,
            sections: definition.sections.map { section in
                var rows: [EFormView.Row] = []
                for field in section.fields {
                    rows += self.rows(
                        field, path: section.key + "." + field.key, value: values.value(at: section.key + "." + field.key),
                        messages: messages, prefilled: prefilled, scope: section.fields, labels: &labels, section: section.key)
                }
                return EFormView.Section(
                    key: section.key, title: section.title.text(english: english),
                    help: section.help?.text(english: english), rows: rows)
            })
    }

    /// The problems as the summary at the top lists them, in the form's order, each linking to its field.
    func problems(_ errors: [FieldError]) -> [FormProblem] {
        errors.map { error in
            FormProblem(field: EFormView.id(error.field), message: message(error.problem))
        }
    }

    private func rows(
        _ field: FormField, path: String, value: FormValue?, messages: [String: String], prefilled: Set<String>,
        scope: [FormField], labels: inout [String: FormField], section: String
    ) -> [EFormView.Row] {
        labels[section + "." + field.key] = field
        var row = EFormView.Row(
            kind: .field, control: nil, name: path, id: EFormView.id(path), label: field.label.text(english: english),
            help: field.help?.text(english: english), required: field.required, error: messages[path])
        row.prefilled = prefilled.contains(path)
        if let condition = field.showWhen {
            let target = scope.first { $0.key == condition.field } ?? labels[condition.field]
            let values = (condition.equals ?? []).map { answer in
                target?.options?.first { $0.value == answer }?.label.text(english: english)
                    ?? (answer == "yes" ? yes : answer == "no" ? no : answer)
            }
            row.condition = onlyWhen(target?.label.text(english: english) ?? condition.field, values.joined(separator: ", "))
            let base = path.split(separator: ".").dropLast().joined(separator: ".")
            row.showField = condition.field.contains(".") ? condition.field : base + "." + condition.field
            row.showValues = (condition.equals ?? []).joined(separator: " ")
        }
        switch field.type {
        case .text:
            row.control = field.multiline == true ? .textarea : .text
            row.maxLength = field.textLimit
            row.value = value?.text ?? ""
            if field.prefill == .fullName { row.autocomplete = "name" }
        case .number:
            row.control = .number
            row.inputMode = (field.decimals ?? 0) > 0 ? "decimal" : "numeric"
            row.unit = field.unit?.text(english: english)
            row.value = value?.text ?? ""
        case .date:
            row.control = .date
            (row.day, row.month, row.year) = FormRules.dateParts(value)
        case .personalID, .taxCode:
            row.control = .text
            row.inputMode = "numeric"
            row.maxLength = 20
            row.value = value?.text ?? ""
        case .phone:
            row.control = .text
            row.inputMode = "tel"
            row.autocomplete = "tel"
            row.maxLength = 20
            row.value = value?.text ?? ""
        case .email:
            row.control = .text
            row.inputMode = "email"
            row.autocomplete = "email"
            row.maxLength = 254
            row.value = value?.text ?? ""
        case .yesNo:
            row.control = .radio
            let chosen = value?.text.map { ["yes", "có", "true"].contains($0.lowercased()) ? "yes" : ["no", "không", "false"].contains($0.lowercased()) ? "no" : $0 }
            row.options = [
                .init(value: "yes", label: yes, selected: chosen == "yes", name: path, id: row.id),
                .init(value: "no", label: no, selected: chosen == "no", name: path, id: row.id + "-no"),
            ]
        case .choice:
            let chosen: Set<String> =
                switch value {
                case .text(let text)?: [text]
                case .list(let items)?: Set(items.compactMap(\.text))
                default: []
                }
            let options = field.options ?? []
            row.control = field.multiple == true ? .checkboxes : options.count <= 5 ? .radio : .select
            let multiple = field.multiple == true
            row.options = options.enumerated().map { index, option in
                .init(
                    value: option.value, label: option.label.text(english: english), selected: chosen.contains(option.value),
                    // Checkboxes post one entry each (`path[2]`), so that every ticked answer arrives.
                    name: multiple ? FormPath.indexed(path, index) : path, id: index == 0 ? row.id : row.id + "-\(index)")
            }
        case .address:
            row.control = .address
            let province = value?["province"]?.text ?? ""
            let commune = value?["commune"]?.text ?? ""
            row.street = value?["street"]?.text ?? ""
            row.provinces = units.provinces.map {
                Option(value: $0.code, label: english ? ($0.nameEn ?? $0.name) : $0.name, selected: $0.code == province)
            }
            row.communes = units.communes(of: province).map {
                Option(value: $0.code, label: english ? ($0.nameEn ?? $0.name) : $0.name, selected: $0.code == commune)
            }
            row.provinceError = messages[path + ".province"]
            row.communeError = messages[path + ".commune"]
            row.streetError = messages[path + ".street"]
            row.error = row.error ?? row.provinceError ?? row.communeError ?? row.streetError
        case .group:
            var rows: [EFormView.Row] = []
            var start = row
            start.kind = .groupStart
            rows.append(start)
            let entries: [FormValue] = if case .list(let items)? = value { items } else { [] }
            // One spare entry to fill, after those already typed.
            let shown = min(entries.count + 1, field.maxItems ?? FormLimits.mostItems)
            for index in 0..<max(shown, 1) {
                let entryPath = FormPath.indexed(path, index)
                rows.append(EFormView.Row(
                    kind: .entryStart, name: entryPath, id: EFormView.id(entryPath),
                    label: "\(field.label.text(english: english)) \(index + 1)", required: false))
                let entry = entries.indices.contains(index) ? entries[index] : nil
                for member in field.fields ?? [] {
                    rows += self.rows(
                        member, path: entryPath + "." + member.key, value: entry?[member.key], messages: messages,
                        prefilled: [], scope: field.fields ?? [], labels: &labels, section: "")
                }
                rows.append(EFormView.Row(kind: .entryEnd, name: entryPath, id: "", label: "", required: false))
            }
            rows.append(EFormView.Row(kind: .groupEnd, name: path, id: "", label: "", required: false))
            return rows
        }
        return [row]
    }
}
