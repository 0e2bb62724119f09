namespace KafkaPipeline.Consuming;

/// <summary>
/// The offsets of one partition that were dispatched and are not yet below the commit position, in dispatch order, each
/// with a done flag. The commit position (the watermark) is the offset below which every dispatched record is done:
/// handled, skipped as a duplicate or recovered. Records finish in any order (Key and Unordered modes); the position only
/// moves over a contiguous run of done records, so a commit never passes an unfinished record. Poll thread only.
/// </summary>
internal sealed class PartitionOffsets
{
    private long[] _offsets = new long[16];
    private bool[] _done = new bool[16];
    private int _head;
    private int _count;
    private long[] _skip = [];
    private int _skipFrom;

    /// <summary>The highest offset dispatched so far; -1 before the first.</summary>
    public long LastDispatched { get; private set; } = -1;

    /// <summary>The offset to commit: every dispatched record below it is done. -1 while none is done.</summary>
    public long Position { get; private set; } = -1;

    /// <summary>The last position handed to the consumer (stored or committed); -1 when none.</summary>
    public long Flushed { get; set; } = -1;

    /// <summary>Counts changes of the done records above the position (a record finished behind an unfinished one).</summary>
    public long FinishedVersion { get; private set; }

    /// <summary>The <see cref="FinishedVersion"/> last handed to the consumer with the position.</summary>
    public long FlushedVersion { get; set; }

    /// <summary>
    /// The offset to commit with the finished records above it: the position, or before any record below it is done,
    /// the first dispatched one (where consumption resumes anyway). -1 when nothing was dispatched.
    /// </summary>
    public long CommitBase => Position >= 0 ? Position : _count > 0 ? _offsets[_head] : -1;

    /// <summary>The done records above the position, ascending (they follow an unfinished record).</summary>
    public IEnumerable<long> FinishedAbove()
    {
        for (var i = 0; i < _count; i++)
        {
            var slot = (_head + i) % _offsets.Length;
            if (_done[slot])
            {
                yield return _offsets[slot];
            }
        }
    }

    /// <summary>
    /// Offsets finished before the last commit (read from its metadata when the partition was assigned): they are not run
    /// again. Ascending; offsets at or below the last dispatched one are ignored.
    /// </summary>
    public void SkipFinished(long[] offsets)
    {
        _skip = offsets;
        _skipFrom = 0;
    }

    /// <summary>True when <paramref name="offset"/> was finished before the last commit; forgets the skips at or below it.</summary>
    public bool IsFinishedBefore(long offset)
    {
        if (_skipFrom >= _skip.Length)
        {
            return false;
        }

        var index = Array.BinarySearch(_skip, _skipFrom, _skip.Length - _skipFrom, offset);
        _skipFrom = index >= 0 ? index + 1 : ~index;
        return index >= 0;
    }

    /// <summary>Dispatched records not yet below the position (done ones above an unfinished one included).</summary>
    public int Pending => _count;

    /// <summary>Done records above the position: handled again after a crash, since the commit cannot pass the gap.</summary>
    public int DoneAbovePosition
    {
        get
        {
            var done = 0;
            for (var i = 0; i < _count; i++)
            {
                done += _done[(_head + i) % _done.Length] ? 1 : 0;
            }

            return done;
        }
    }

    /// <summary>
    /// Registers a fetched record. False when its offset is not above the last dispatched one: the consumer delivered a
    /// record this partition already dispatched (e.g. refetched after a pause), which must not run twice.
    /// </summary>
    public bool TryAccept(long offset)
    {
        if (offset <= LastDispatched)
        {
            return false;
        }

        if (_count == _offsets.Length)
        {
            Grow();
        }

        var tail = (_head + _count) % _offsets.Length;
        _offsets[tail] = offset;
        _done[tail] = false;
        _count++;
        LastDispatched = offset;
        return true;
    }

    /// <summary>Marks a dispatched record done; true when the position moved.</summary>
    public bool MarkDone(long offset)
    {
        var index = IndexOf(offset);
        if (index < 0)
        {
            return false;
        }

        _done[index] = true;
        if (index != _head)
        {
            FinishedVersion++;
            return false;
        }

        var passed = 0;
        while (_count > 0 && _done[_head])
        {
            Position = _offsets[_head] + 1;
            _head = (_head + 1) % _offsets.Length;
            _count--;
            passed++;
        }

        if (passed > 1)
        {
            FinishedVersion++; // the position passed records that were done above it: that set changed too
        }

        return true;
    }

    /// <summary>The slot of <paramref name="offset"/>, or -1 (binary search over the ring: offsets ascend).</summary>
    private int IndexOf(long offset)
    {
        if (_count == 0)
        {
            return -1;
        }

        if (_offsets[_head] == offset)
        {
            return _head;
        }

        int low = 0, high = _count - 1;
        while (low <= high)
        {
            var mid = (low + high) >>> 1;
            var slot = (_head + mid) % _offsets.Length;
            var value = _offsets[slot];
            if (value == offset)
            {
                return slot;
            }

            if (value < offset)
            {
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return -1;
    }

    private void Grow()
    {
        var offsets = new long[_offsets.Length * 2];
        var done = new bool[_offsets.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            offsets[i] = _offsets[(_head + i) % _offsets.Length];
            done[i] = _done[(_head + i) % _offsets.Length];
        }

        _offsets = offsets;
        _done = done;
        _head = 0;
    }
}
