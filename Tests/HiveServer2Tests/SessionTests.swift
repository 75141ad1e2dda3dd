import HTTPTransport
import Testing
@testable import HiveServer2

/// The session's calls and error paths against a scripted peer (the same paths run against a real Spark in
/// ``SparkPushdownTests``).
@Suite struct SessionTests {
    let endpoint = HiveServer2Endpoint(url: "https://user:pw@lake.example:443/sql/1.0/warehouses/abc", credentials: .bearer("s3cret-token"))

    @Test func aQueryOpensPollsFetchesUntilAnEmptyBatchAndClosesEverything() throws {
        let fake = FakeHiveServer([
            FakeHiveServer.openSession(),
            FakeHiveServer.executeStatement(),
            FakeHiveServer.operationStatus(state: 1),
            FakeHiveServer.operationStatus(state: 2),
            FakeHiveServer.metadata([("label", 3), ("n", 4), ("mean", 6), ("name", 7)]),
            FakeHiveServer.fetch(rows: 2, columns: [
                (4, .i32, { w, row in w.i32(Int32(row)) }, []),
                (5, .i64, { w, row in w.i64(Int64(10 + row)) }, []),
                (6, .double, { w, row in w.i64(Int64(bitPattern: (Double(row) / 4).bitPattern)) }, [0x01]),
                (7, .string, { w, row in w.string(row == 0 ? "a" : "") }, [0x02]),
            ]),
            FakeHiveServer.fetch(rows: 0, columns: [(4, .i32, { _, _ in }, []), (5, .i64, { _, _ in }, []), (6, .double, { _, _ in }, []), (7, .string, { _, _ in }, [])]),
            FakeHiveServer.closed("CloseOperation"),
            FakeHiveServer.closed("CloseSession"),
        ])
        var sleeps: [Duration] = []
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { sleeps.append($0) })
        let result = try session.query("SELECT 1")
        session.close()
        #expect(result.columns.map(\.name) == ["label", "n", "mean", "name"])
        #expect(result.columns.map(\.typeName) == ["INT", "BIGINT", "DOUBLE", "STRING"])
        #expect(result.rows == [[.int(0), .int(10), .null, .string("a")], [.int(1), .int(11), .double(0.25), .null]])
        #expect(fake.methods == ["OpenSession", "ExecuteStatement", "GetOperationStatus", "GetOperationStatus", "GetResultSetMetadata",
                                 "FetchResults", "FetchResults", "CloseOperation", "CloseSession"])
        #expect(sleeps == [.milliseconds(10)])
        for request in fake.requests {
            #expect(request.method == .post)
            #expect(request.header("Content-Type") == "application/x-thrift")
            #expect(request.header("Authorization") == "Bearer s3cret-token")
            #expect(request.tls.insecureSkipVerify == false)
        }
    }

    @Test func theSessionAndOperationHandlesGoBackExactlyAsReceived() throws {
        let fake = FakeHiveServer([
            FakeHiveServer.openSession(), FakeHiveServer.executeStatement(), FakeHiveServer.operationStatus(state: 2),
            FakeHiveServer.metadata([]), FakeHiveServer.fetch(rows: 0, columns: []),
            FakeHiveServer.closed("CloseOperation"), FakeHiveServer.closed("CloseSession"),
        ])
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
        _ = try session.query("SELECT 1")
        session.close()
        let sessionGuid = [UInt8](repeating: 0xA0, count: 16), operationGuid = [UInt8](repeating: 0xB0, count: 16)
        #expect(contains(fake.requests[1].body, sessionGuid))
        for index in 2...5 { #expect(contains(fake.requests[index].body, operationGuid)) }
        #expect(contains(fake.requests[6].body, sessionGuid))
    }

    @Test func everyCookieTheServerSetsGoesBackOnTheFollowingCalls() throws {
        let withCookies = FakeHiveServer.openSession().map { response in
            var response = response
            response.setCookies = ["hive.server2.auth=abc; Path=/; HttpOnly", "route=node-2"]
            return response
        }
        let fake = FakeHiveServer([withCookies, FakeHiveServer.closed("CloseSession")])
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
        session.close()
        #expect(fake.requests[0].header("Cookie") == nil)
        #expect(fake.requests[1].header("Cookie") == "hive.server2.auth=abc; route=node-2")
    }

    @Test func unreachableIsTemporaryAndNamesOnlyTheHost() {
        let fake = FakeHiveServer([.failure(TransportError(kind: .connectionRefused, message: "Failed to connect to lake.example port 443"))])
        do {
            _ = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
            Issue.record("no error")
        } catch {
            #expect(error.kind == .unreachable)
            #expect(error.isTemporary)
            #expect(error.message.contains("https://lake.example:443"))
            #expect(!error.message.contains("pw@"))
        }
    }

    @Test(arguments: [401, 403])
    func refusedCredentialsAreUnauthorizedAndNeverEchoed(status: Int) {
        let fake = FakeHiveServer([.success(HTTPResponse(status: status, body: Array("Authorization header received from the client is empty".utf8)))])
        do {
            _ = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
            Issue.record("no error")
        } catch {
            #expect(error.kind == .unauthorized)
            #expect(!error.isTemporary)
            #expect(!error.message.contains("s3cret-token"))
        }
    }

    @Test func aFailedStatementCarriesTheServersShortenedMessageAndSQLState() throws {
        let fake = FakeHiveServer([
            FakeHiveServer.openSession(), FakeHiveServer.executeStatement(),
            FakeHiveServer.operationStatus(state: 5, sqlState: "42P01", message: "org.apache.hive.service.cli.HiveSQLException: Error running query: [TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.\n\tat frame"),
            FakeHiveServer.closed("CloseOperation"), FakeHiveServer.closed("CloseSession"),
        ])
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
        do {
            _ = try session.query("SELECT * FROM nope")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .server(sqlState: "42P01"))
            #expect(error.message == "[TABLE_OR_VIEW_NOT_FOUND] The table `nope` cannot be found.")
        }
        session.close()
        #expect(fake.methods.suffix(2) == ["CloseOperation", "CloseSession"])
    }

    @Test func anInvalidHandleMeansTheSessionWasLost() throws {
        let fake = FakeHiveServer([
            FakeHiveServer.openSession(), FakeHiveServer.executeStatement(),
            FakeHiveServer.reply("GetOperationStatus") { w in FakeHiveServer.status(&w, code: 3, message: "Invalid OperationHandle: OperationHandle [opType=EXECUTE_STATEMENT]") },
        ])
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
        #expect { try session.query("SELECT 1") } throws: { ($0 as? HiveServer2Error)?.kind == .sessionLost }
    }

    @Test func aConnectionLostMidQueryIsASessionLoss() throws {
        let fake = FakeHiveServer([
            FakeHiveServer.openSession(), FakeHiveServer.executeStatement(),
            .failure(TransportError(kind: .connectionReset, message: "Recv failure: Connection reset by peer")),
        ])
        let session = try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in })
        #expect { try session.query("SELECT 1") } throws: { error in
            guard let error = error as? HiveServer2Error else { return false }
            return error.kind == .sessionLost && error.isTemporary && error.message.contains("GetOperationStatus")
        }
    }

    @Test func aServerBelowProtocolV6IsRefused() {
        let fake = FakeHiveServer([FakeHiveServer.openSession(protocol: 4), FakeHiveServer.closed("CloseSession")])
        #expect { try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in }) } throws: {
            ($0 as? HiveServer2Error)?.kind == .protocolError
        }
    }

    @Test func aWrongPathIsAnHTTPStatusNamingIt() {
        let fake = FakeHiveServer([.success(HTTPResponse(status: 404, body: Array("<html>not found</html>".utf8)))])
        #expect { try HiveServer2Session(endpoint: endpoint, transport: fake, sleep: { _ in }) } throws: { error in
            guard let error = error as? HiveServer2Error else { return false }
            return error.kind == .httpStatus(404) && error.message.contains("HTTP 404") && !error.isTemporary
        }
    }

    private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
