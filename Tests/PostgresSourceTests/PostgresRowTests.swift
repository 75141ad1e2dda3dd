import PostgresSource
import Testing

@Suite("Postgres identifiers")
struct PostgresIdentifierTests {
    @Test("identifiers are double-quoted with embedded quotes doubled")
    func quoting() {
        #expect(PostgresConnection.quoteIdentifier("score") == "\"score\"")
        #expect(PostgresConnection.quoteIdentifier("a\"b") == "\"a\"\"b\"")
    }
}
