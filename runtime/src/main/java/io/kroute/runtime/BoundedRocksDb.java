package io.kroute.runtime;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBufferManager;

/**
 * Caps what the RocksDB stores of a Kafka Streams process take off-heap (the router-stream's deduplication window, the
 * batch gateway's ledger and files): one block cache and one write-buffer budget shared by every store of the process,
 * instead of RocksDB's defaults per store (a 50 MB cache and three 16 MB memtables each, times the tasks of the
 * instance), so memory does not grow with the data the stores hold. Kafka Streams' bounded-memory recipe.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {

    /** The whole budget: block cache, memtables counted inside it. */
    public static final long TOTAL_BYTES = 32L * 1024 * 1024;

    private static final long MEMTABLE_BYTES = 8L * 1024 * 1024;

    /** Made when the first store opens: Kafka Streams loads this class to check the config, before RocksDB is. */
    private static final class Shared {
        static {
            RocksDB.loadLibrary();
        }

        static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);
        static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(Shared.CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(Shared.WRITE_BUFFERS);
        options.setMaxWriteBufferNumber(2);
        options.setWriteBufferSize(2L * 1024 * 1024);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the cache and the write-buffer manager are shared by every store of the process: not closed per store
    }
}
