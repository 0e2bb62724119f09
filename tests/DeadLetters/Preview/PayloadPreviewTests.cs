using System.Text;
using KafkaPipeline.DeadLetters.Preview;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Tests.Preview;

public sealed class PayloadPreviewTests
{
    [Fact]
    public void Render_Json_PrettyPrints()
    {
        var preview = PayloadPreview.Render(Encoding.UTF8.GetBytes("{\"a\":1,\"b\":[true]}"));

        Assert.Equal(PayloadFormat.Json, preview.Format);
        Assert.Equal("{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}", preview.Text.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Render_BrokenJsonText_ShowsText()
    {
        var preview = PayloadPreview.Render(Encoding.UTF8.GetBytes("{\"orderId\": "));

        Assert.Equal((PayloadFormat.Text, "{\"orderId\": "), (preview.Format, preview.Text));
    }

    [Fact]
    public void Render_BinaryBytes_ShowsHexDump()
    {
        var preview = PayloadPreview.Render([0x00, 0x01, 0x41, 0xff]);

        Assert.Equal(PayloadFormat.Hex, preview.Format);
        Assert.Equal("00000000  00 01 41 ff " + new string(' ', 12 * 3 + 1) + " |..A.|", preview.Text);
    }

    [Fact]
    public void Render_HexAsked_ShowsHexEvenForText()
    {
        Assert.Equal(PayloadFormat.Hex, PayloadPreview.Render(Encoding.UTF8.GetBytes("hi"), PayloadFormat.Hex).Format);
    }

    [Fact]
    public void Render_LongerThanLimit_TruncatesAndSaysSo()
    {
        var preview = PayloadPreview.Render(Encoding.UTF8.GetBytes(new string('x', 100)), maxBytes: 10);

        Assert.True(preview.Truncated);
        Assert.Equal((10, 100), (preview.Text.Length, preview.Length));
    }

    [Fact]
    public void Render_Null_SaysNull()
    {
        Assert.Equal("(null)", PayloadPreview.Render(null).Text);
    }

    [Fact]
    public void TryUtf8_InvalidBytes_ReturnsNull()
    {
        Assert.Null(DeadLetterRecord.TryUtf8([0xc3, 0x28]));
        Assert.Equal("é", DeadLetterRecord.TryUtf8([0xc3, 0xa9]));
    }
}
