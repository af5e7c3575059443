import Vapor

/// The one-line confirmation a page shows after a form succeeded and redirected to it: the redirect carries
/// `?notice=<case>`, and every page's layout shows the text (`notice_<case>` in both languages). Only these cases
/// are shown, so a link cannot make a page say anything else.
enum Notice: String, CaseIterable, Sendable {
    case passwordReset = "password_reset"
    case passwordChanged = "password_changed"
    case officerInvited = "officer_invited"
    case roleGranted = "role_granted"
    case roleRevoked = "role_revoked"
    case unitCreated = "unit_created"
    case officeHoursSaved = "office_hours_saved"
    case tokenRevoked = "token_revoked"
    case settingsSaved = "settings_saved"
    case formSaved = "form_saved"
    case jobRequeued = "job_requeued"
    case auditVerifyQueued = "audit_verify_queued"
    case calendarAdjusted = "calendar_adjusted"
    case calendarAdjustmentRemoved = "calendar_adjustment_removed"

    var localizationKey: String { "notice_" + rawValue }

    /// `path` with this notice added to its query.
    func after(_ path: String) -> String {
        path + (path.contains("?") ? "&" : "?") + "notice=" + rawValue
    }

    /// The notice a request's URL carries, if it is one of these.
    init?(_ req: Request) {
        guard let raw = try? req.query.get(String.self, at: "notice") else { return nil }
        self.init(rawValue: raw)
    }
}
