"""Records Spark Connect's replies to one query, as the server sent them, for the client's unit tests (run by hand
against a server: python3 record.py sc-host:port; the .bin files are committed).

select.bin: the ExecutePlanResponse messages of `SELECT …` below, each as a 4-byte little-endian length and its bytes.
request.bin: the ExecutePlanRequest pyspark's protocol classes build for the same query, to compare with Tally's.
"""
import struct, sys, uuid, warnings
warnings.filterwarnings("ignore")
import grpc
from pyspark.sql.connect.proto import base_pb2, base_pb2_grpc

QUERY = "SELECT id, CAST(id * 1.5 AS DOUBLE) AS half, concat('r', id) AS name, DATE'2025-11-01' + CAST(id AS INT) AS day " \
        "FROM range(3) UNION ALL SELECT NULL, NULL, NULL, NULL"
channel = grpc.insecure_channel(sys.argv[1])
stub = base_pb2_grpc.SparkConnectServiceStub(channel)
request = base_pb2.ExecutePlanRequest(session_id=str(uuid.UUID(int=1)), client_type="record.py",
                                      operation_id=str(uuid.UUID(int=2)))
request.user_context.user_id = "tally"
request.plan.root.sql.query = QUERY
with open("request.bin", "wb") as out:
    out.write(request.SerializeToString())
with open("select.bin", "wb") as out:
    for response in stub.ExecutePlan(request):
        data = response.SerializeToString()
        out.write(struct.pack("<I", len(data)) + data)
