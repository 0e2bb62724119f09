using System.Text;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Group ids whose coordinator is broker 2 of a 3-broker embedded cluster, so that taking the dead-letter broker (3)
/// down spares it. The librdkafka mock picks broker number <c>crc32(groupId) % brokerCount</c> in its broker list; on 3
/// brokers index 1 is broker 2 whichever way the list is ordered (as tests/Integration's Coordinators).
/// </summary>
internal static class Coordinators
{
    private static readonly uint[] Table = BuildTable();

    public static string GroupOnBroker2(string prefix)
    {
        while (true)
        {
            var group = $"{prefix}-{Guid.NewGuid():N}";
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
