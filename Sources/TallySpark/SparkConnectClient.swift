import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import TallyFormats

/// The calls of Spark Connect's gRPC service (`spark.connect.SparkConnectService`) that Tally makes: run a plan and
/// stream its Arrow batches back, interrupt an operation, release the session.
final class SparkConnectClient: @unchecked Sendable {
    private let client: GRPCClient<HTTP2ClientTransport.Posix>
    private let running: Task<Void, Never>
    private let url: SparkURL
    let sessionID: String
    private let metadata: Metadata
    private let options: CallOptions

    private static let service = "spark.connect.SparkConnectService"
    private static let executePlan = MethodDescriptor(fullyQualifiedService: service, method: "ExecutePlan")
    private static let interrupt = MethodDescriptor(fullyQualifiedService: service, method: "Interrupt")
    private static let releaseSession = MethodDescriptor(fullyQualifiedService: service, method: "ReleaseSession")
    /// What the client tells the server it is.
    static let clientType = "tally"

    init(_ url: SparkURL) throws {
        self.url = url
        sessionID = url.sessionID ?? UUID().uuidString.lowercased()
        let transport = try HTTP2ClientTransport.Posix(target: .dns(host: url.host, port: url.port),
                                                       transportSecurity: url.useTLS ? .tls : .plaintext)
        client = GRPCClient(transport: transport)
        let client = self.client
        running = Task { try? await client.runConnections() }
        var metadata = Metadata()
        if let token = url.token { metadata.addString("Bearer \(token)", forKey: "authorization") }
        self.metadata = metadata
        var options = CallOptions.defaults
        // A server that is down is an error at once, not a wait; results may be large (Spark's clients allow 128 MiB).
        options.waitForReady = false
        options.maxRequestMessageBytes = 128 << 20
        options.maxResponseMessageBytes = 128 << 20
        self.options = options
    }

    deinit {
        client.beginGracefulShutdown()
        running.cancel()
    }

    private var userContext: Spark_Connect_UserContext {
        var context = Spark_Connect_UserContext()
        context.userID = url.userID
        return context
    }

    /// Runs a plan as operation `operationID` and hands each Arrow batch of its result to `batch`.
    func execute(_ plan: Spark_Connect_Plan, operationID: String, batch: @escaping @Sendable (ArrowStream) throws -> Void) async throws {
        let request = SparkConnectClient.executeRequest(sessionID: sessionID, userID: url.userID, operationID: operationID, plan: plan)
        try await client.serverStreaming(request: ClientRequest(message: request, metadata: metadata), descriptor: SparkConnectClient.executePlan,
                                         serializer: ProtobufSerializer(), deserializer: ProtobufDeserializer<Spark_Connect_ExecutePlanResponse>(),
                                         options: options) { response in
            for try await message in response.messages {
                if let stream = try SparkConnectClient.arrowStream(of: message) { try batch(stream) }
            }
        }
    }

    /// The request that runs `plan` as operation `operationID` of a session.
    static func executeRequest(sessionID: String, userID: String, operationID: String, plan: Spark_Connect_Plan,
                               clientType: String = SparkConnectClient.clientType) -> Spark_Connect_ExecutePlanRequest {
        var request = Spark_Connect_ExecutePlanRequest()
        request.sessionID = sessionID
        request.userContext.userID = userID
        request.clientType = clientType
        request.operationID = operationID
        request.plan = plan
        return request
    }

    /// The Arrow stream an ExecutePlan reply carries, if it carries one.
    static func arrowStream(of message: Spark_Connect_ExecutePlanResponse) throws -> ArrowStream? {
        guard case .arrowBatch(let arrow)? = message.responseType else { return nil }
        return try ArrowStream(Array(arrow.data)[...])
    }

    /// Asks the server to stop operation `operationID`.
    func interrupt(operationID: String) async throws {
        var request = Spark_Connect_InterruptRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = SparkConnectClient.clientType
        request.interruptType = .operationID
        request.operationID = operationID
        try await client.unary(request: ClientRequest(message: request, metadata: metadata), descriptor: SparkConnectClient.interrupt,
                               serializer: ProtobufSerializer(), deserializer: ProtobufDeserializer<Spark_Connect_InterruptResponse>(),
                               options: options) { _ in }
    }

    /// Tells the server the session's temporary state may go.
    func releaseSession() async throws {
        var request = Spark_Connect_ReleaseSessionRequest()
        request.sessionID = sessionID
        request.userContext = userContext
        request.clientType = SparkConnectClient.clientType
        try await client.unary(request: ClientRequest(message: request, metadata: metadata), descriptor: SparkConnectClient.releaseSession,
                               serializer: ProtobufSerializer(), deserializer: ProtobufDeserializer<Spark_Connect_ReleaseSessionResponse>(),
                               options: options) { _ in }
    }
}
