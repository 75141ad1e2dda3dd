import HTTPTransport
@testable import HiveServer2
@testable import ModelwatchConfiguration
@testable import ModelwatchJob
import Testing

/// A model's Spark labels beside its scores use the scores' HiveServer2 session when the endpoint and credentials
/// are the same, and open their own otherwise (against a scripted peer).
@Suite struct SessionSharingTests {
    let endpoint = HiveServer2Endpoint(url: "http://127.0.0.1:10001/cliservice", credentials: .basic(user: "mw", password: "pw"))

    /// The replies to `SELECT * FROM t LIMIT 0` (the schema query each source runs).
    static func schemaQuery() -> [FakeHiveServer.Reply] {
        [
            FakeHiveServer.executeStatement(), FakeHiveServer.operationStatus(state: 2),
            FakeHiveServer.metadata([("prediction_id", 7)]),
            FakeHiveServer.fetch(rows: 0, columns: [(7, .string, { _, _ in }, [])]),
            FakeHiveServer.closed("CloseOperation"),
        ]
    }

    func source(_ endpoint: HiveServer2Endpoint, table: String) -> SparkSourceConfiguration {
        SparkSourceConfiguration(endpoint: endpoint, table: table, key: "models[m].\(table).spark")
    }

    @Test(arguments: [
        (labelCredentials: HiveServer2Endpoint.Credentials?.none, sessions: 1),
        (labelCredentials: .basic(user: "other", password: "pw"), sessions: 2),
    ])
    func labelsOnTheScoresEndpointShareItsSession(labelCredentials: HiveServer2Endpoint.Credentials?, sessions: Int) throws {
        var labelEndpoint = endpoint
        if let labelCredentials { labelEndpoint.credentials = labelCredentials }
        var script = [FakeHiveServer.openSession()] + Self.schemaQuery()
        if sessions == 2 { script.append(FakeHiveServer.openSession()) }
        script += Self.schemaQuery() + Array(repeating: FakeHiveServer.closed("CloseSession"), count: sessions)
        let fake = FakeHiveServer(script)
        do {
            let scores = try SparkRecords(source(endpoint, table: "scores"), key: "models[m].scores", timestampUnit: .undeclared, transport: fake)
            let labels = try SparkRecords(source(labelEndpoint, table: "labels"), key: "models[m].labels", timestampUnit: .undeclared,
                                          transport: fake, sharing: scores)
            #expect(labels.columns.keys.sorted() == ["prediction_id"])
        }
        #expect(fake.methods.filter { $0 == "OpenSession" }.count == sessions)
        #expect(fake.methods.filter { $0 == "CloseSession" }.count == sessions)
        #expect(fake.methods.filter { $0 == "ExecuteStatement" }.count == 2)
        #expect(fake.methods.last == "CloseSession")
    }
}
