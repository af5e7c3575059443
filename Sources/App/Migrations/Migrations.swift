import Fluent
import Vapor

/// Every migration, in the order they run: one change each, named as STYLE.md says (`CreateDossier`,
/// `UpdateDossierAddPausedAt`), each in its own file here. A migration's type name is what existing databases have
/// recorded as done (`App.CreateAgency`): never rename or reorder one, only add new ones at the end
/// (`MigrationTests` holds the released list).
enum Migrations {
    static func register(on app: Application) {
        app.migrations.add(CreateAgency())
        app.migrations.add(CreateProcedure())
        app.migrations.add(CreateProcedureVersion())
        app.migrations.add(CreateAccount())
        app.migrations.add(CreateSession())
        app.migrations.add(CreateLoginAttempt())
        app.migrations.add(CreateMembership())
        app.migrations.add(CreateAPIToken())
        app.migrations.add(CreateJob())
        app.migrations.add(AddAccountLanguage())
        app.migrations.add(CreateNotification())
        app.migrations.add(CreatePasswordReset())
        app.migrations.add(CreateOIDCLogin())
        app.migrations.add(CreateAuditLog())
        app.migrations.add(CreateCalendarAdjustment())
        app.migrations.add(AddAgencyOfficeHours())
        app.migrations.add(AddProcedurePauseRule())
        app.migrations.add(CreateAuditScope())
        app.migrations.add(CreateAuditCheckpoint())
        app.migrations.add(CreateAuditLook())
        app.migrations.add(UpdateAccountAddSSOSubjectKey())
        app.migrations.add(CreateProcedureForm())
    }
}
