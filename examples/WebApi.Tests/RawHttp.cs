using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Scoped.Examples.WebApi.Tests;

/// <summary>
/// HTTP/1.1 over a bare socket, for what HttpClient will not send: a chunked body with broken framing, a body that
/// stops short of its Content-Length, a chunked body whose size no header announces. Each request asks for
/// Connection: close, and the answer is read until the server closes.
/// </summary>
internal static class RawHttp
{
    /// <summary>An answer: its status, header block and (de-chunked) body.</summary>
    public sealed record Answer(int Status, string Head, string Body)
    {
        /// <summary>The body as ProblemDetails JSON.</summary>
        public JsonElement Problem => JsonDocument.Parse(Body).RootElement.Clone();

        public override string ToString() => $"{Status}\n{Head}\n\n{Body}";
    }

    /// <summary>Sends <paramref name="head"/> (request line and headers; Host and Connection: close are added) and the
    /// body <paramref name="pieces"/> as they are, and reads the answer while sending: the server may answer (and
    /// close) before it has read everything, which is the point of a limit.</summary>
    public static async Task<Answer> SendAsync(Uri server, string head, params byte[][] pieces)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var reading = ReadToEndAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{head}\r\nHost: {server.Authority}\r\nConnection: close\r\n\r\n"));
            foreach (var piece in pieces) await stream.WriteAsync(piece);
            await stream.FlushAsync();
        }
        catch (IOException)
        {
            // The server closed first; its answer is what counts.
        }
        return Parse(await reading.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    /// <summary>One chunk of a chunked body: hex size, CRLF, the bytes, CRLF.</summary>
    public static byte[] Chunk(ReadOnlySpan<byte> data) =>
        [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

    /// <summary>The last chunk, which ends a chunked body.</summary>
    public static byte[] LastChunk => "0\r\n\r\n"u8.ToArray();

    /// <summary><paramref name="data"/> as a chunked body of pieces of <paramref name="size"/> bytes, last chunk included.</summary>
    public static byte[][] Chunked(byte[] data, int size = 64 * 1024) =>
        [.. data.Chunk(size).Select(c => Chunk(c)), LastChunk];

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream)
    {
        var received = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0) received.Write(buffer, 0, n);
        }
        catch (IOException)
        {
            // A reset after the answer: keep what came.
        }
        return received.ToArray();
    }

    private static Answer Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) throw new InvalidDataException($"No complete answer came back ({bytes.Length} bytes): '{text}'.");
        var head = text[..end];
        var body = text[(end + 4)..];
        int status = int.Parse(head.Split(' ', 3)[1]);
        if (head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase)) body = Dechunk(body);
        return new Answer(status, head, Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(body)));
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        int at = 0;
        while (true)
        {
            int line = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(body[at..line].Split(';')[0], 16);
            if (size == 0) return result.ToString();
            result.Append(body, line + 2, size);
            at = line + 2 + size + 2;
        }
    }
}
