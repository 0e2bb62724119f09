using System.Text;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>
/// Group ids whose coordinator is a known broker, so that fault injection can spare it. The embedded (librdkafka mock)
/// cluster picks a group's coordinator as broker number <c>crc32(groupId) % brokerCount</c> in its broker list; on a
/// 3-broker cluster index 1 is broker 2 whichever way the list is ordered. (The mock does not answer DescribeGroups, so
/// the coordinator cannot be asked; a wrong guess makes the tests time out, never pass wrongly.)
/// </summary>
internal static class Coordinators
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>A unique group id coordinated by broker 2 of a 3-broker embedded cluster.</summary>
    public static string GroupOnBroker2()
    {
        while (true)
        {
            var group = ClusterFixture.Unique("group");
            if (Crc32(Encoding.UTF8.GetBytes(group)) % 3 == 1)
            {
                return group;
            }
        }
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
