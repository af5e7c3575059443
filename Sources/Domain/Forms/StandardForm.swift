/// What the platform already knows about the person applying, from their account or the sign-in claims.
public struct ApplicantProfile: Sendable, Equatable {
    public var fullName: String?
    public var personalID: String?
    public var birthDate: CivilDate?
    public var phone: String?
    public var email: String?

    public init(fullName: String? = nil, personalID: String? = nil, birthDate: CivilDate? = nil, phone: String? = nil, email: String? = nil) {
        self.fullName = fullName
        self.personalID = personalID
        self.birthDate = birthDate
        self.phone = phone
        self.email = email
    }

    /// The stored value for a field filled from `prefill`, if the profile has it.
    public func value(for prefill: FormField.Prefill) -> String? {
        switch prefill {
        case .fullName: fullName
        case .personalID: personalID
        case .birthDate: birthDate?.description
        case .phone: phone
        case .email: email
        case .sex:
            personalID.flatMap { try? CitizenID($0) }.map { $0.sex == .male ? "male" : "female" }
        }
    }
}

extension FormDefinition {
    /// `input` with every blank field that names a `prefill` filled from `profile`; what was typed is kept.
    public func prefilled(_ input: FormValue, from profile: ApplicantProfile) -> FormValue {
        var sections: [String: FormValue] = if case .record(let record) = input { record } else { [:] }
        for section in self.sections {
            var fields: [String: FormValue] = if case .record(let record)? = sections[section.key] { record } else { [:] }
            for field in section.fields {
                guard let prefill = field.prefill, fields[field.key]?.isBlank ?? true,
                    let value = profile.value(for: prefill)
                else { continue }
                fields[field.key] = .text(value)
            }
            if !fields.isEmpty { sections[section.key] = .record(fields) }
        }
        return .record(sections)
    }

    /// The paths of the fields this definition fills from the account, where the profile has a value.
    public func prefilledPaths(from profile: ApplicantProfile) -> Set<String> {
        var paths: Set<String> = []
        for section in sections {
            for field in section.fields {
                if let prefill = field.prefill, profile.value(for: prefill) != nil {
                    paths.insert(section.key + "." + field.key)
                }
            }
        }
        return paths
    }

    /// The form of a procedure nobody has written one for: who applies, and what they ask for. The documents the
    /// catalogue lists are the dossier's slots (`DocumentSlot.slots(of:)`), not questions of the form.
    public static func standard(for procedure: Procedure) -> FormDefinition {
        FormDefinition(
            title: LocalizedText(vi: "Đơn đề nghị: " + procedure.name, en: "Application: " + procedure.name),
            sections: [
                FormSection(
                    key: "applicant", title: LocalizedText("Người nộp hồ sơ", "Applicant"),
                    fields: [
                        FormField(
                            key: "fullName", type: .text, label: LocalizedText("Họ, chữ đệm và tên", "Full name"),
                            required: true, prefill: .fullName),
                        FormField(
                            key: "personalID", type: .personalID,
                            label: LocalizedText("Số định danh cá nhân", "Personal identification number"),
                            required: true, prefill: .personalID),
                        FormField(
                            key: "birthDate", type: .date, label: LocalizedText("Ngày, tháng, năm sinh", "Date of birth"),
                            required: true, prefill: .birthDate, range: .past),
                        FormField(
                            key: "phone", type: .phone, label: LocalizedText("Số điện thoại", "Phone number"),
                            required: true, prefill: .phone),
                        FormField(key: "email", type: .email, label: LocalizedText("Thư điện tử", "Email"), prefill: .email),
                        FormField(
                            key: "address", type: .address, label: LocalizedText("Nơi cư trú", "Place of residence"),
                            required: true),
                    ]),
                FormSection(
                    key: "request", title: LocalizedText("Nội dung đề nghị", "What is requested"),
                    fields: [
                        FormField(
                            key: "content", type: .text, label: LocalizedText("Nội dung đề nghị", "What you ask for"),
                            help: LocalizedText(
                                "Ghi rõ việc đề nghị cơ quan giải quyết.", "Say plainly what you ask the agency to do."),
                            required: true, multiline: true),
                    ]),
            ])
    }
}

/// A document the dossier holds (thành phần hồ sơ): one per document the catalogue lists for the procedure, with
/// how many originals and copies it asks for.
public struct DocumentSlot: Sendable, Equatable, Codable {
    /// `d1`, `d2`, … in the catalogue's order.
    public var key: String
    public var name: String
    /// The catalogue's heading above it ("Giấy tờ phải nộp").
    public var group: String?
    /// The form template's name, when the catalogue gives one.
    public var template: String?
    public var originals: Int
    public var copies: Int
    /// False for what the catalogue asks only in some cases ("Trường hợp…", "(nếu có)").
    public var required: Bool

    public static func slots(of procedure: Procedure) -> [DocumentSlot] {
        var slots: [DocumentSlot] = []
        for group in procedure.documents.value ?? [] {
            for document in group.documents {
                slots.append(DocumentSlot(
                    key: "d\(slots.count + 1)", name: document.name, group: group.title, template: document.template,
                    originals: document.originals, copies: document.copies, required: !isConditional(document.name)))
            }
        }
        return slots
    }

    /// Whether the catalogue asks for the document only in some cases.
    static func isConditional(_ name: String) -> Bool {
        let folded = VietnameseText.folded(name)
        return ["truong hop", "neu ", "doi voi ", "nguoi nuoc ngoai"].contains { folded.hasPrefix($0) }
            || folded.contains("(neu co)") || folded.contains("neu co)")
    }
}
